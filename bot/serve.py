"""One part of the bot per process, for containers and several replicas:

  python -m bot.serve rasa        the Rasa server (REST, socket.io, web page, HTTP API)
  python -m bot.serve actions     the action server
  python -m bot.serve scheduler   the follow-up scheduler

`make run` (bot/run.py) starts all three on one machine; a deployment with several Rasa
servers runs each part on its own (Dockerfile, compose.yaml, README "Deployment"). The
same settings apply (COACH_* variables, see bot/run.py) with the same secure defaults, plus:

  COACH_ACTION_URL   where the Rasa server finds the action server (http://actions:5055/webhook)
  COACH_ACTION_HOST  interface of the action server (127.0.0.1; 0.0.0.0 in a container
                     network, where only the Rasa servers reach it)
  COACH_REDIS_URL    required with several Rasa servers: conversation locks, socket.io rooms
  RASA_URL           the scheduler's Rasa server or load balancer (http://127.0.0.1:5005)

The process replaces itself with the part's command (exec), so signals reach it directly.
"""
import argparse
import os
import sys
from typing import List, Optional

from bot import run
from bot.paths import VAR_DIR

ROLES = ("rasa", "actions", "scheduler")


def command_and_env(role: str) -> tuple:
    cfg = run.settings()
    os.umask(0o077)
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    if role == "rasa":
        run.prepare_secrets(cfg)
        run.check_exposure(cfg)
        command = run.rasa_server_command(cfg)
    elif role == "actions":
        command = run.action_server_command(cfg)
    else:
        command = run.scheduler_command(cfg)
    env = run.child_env(cfg)
    if role == "actions":
        env["SANIC_HOST"] = os.environ.get("COACH_ACTION_HOST", "127.0.0.1")
    if role == "scheduler" and os.environ.get("RASA_URL"):
        env["RASA_URL"] = os.environ["RASA_URL"]
    return command, env


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot.serve", description=__doc__.splitlines()[0])
    parser.add_argument("role", choices=ROLES)
    args = parser.parse_args(argv)
    if args.role == "rasa":
        from bot.store import get_store

        get_store().migrate()  # idempotent; the goals tables exist before the first turn
    command, env = command_and_env(args.role)
    sys.stdout.flush()
    os.execvpe(command[0], command, env)
    return 1  # not reached


if __name__ == "__main__":
    raise SystemExit(main())
