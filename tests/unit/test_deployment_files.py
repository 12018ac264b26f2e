"""The container files (Dockerfile, compose.yaml, deploy/haproxy.cfg) are not built or run
on the development machine (no container engine, no image registry; README, Deployment).
What can be checked here is: the compose file parses and names only files that exist,
every bot service runs a real part (bot.serve), the image copies only paths that exist,
runs as a non-root user and has a health check, and the load balancer names the Rasa
services of the compose file."""
import re
import shutil
import subprocess

import pytest
import yaml

from bot.paths import PROJECT_ROOT
from bot.serve import ROLES

COMPOSE = yaml.safe_load((PROJECT_ROOT / "compose.yaml").read_text(encoding="utf-8"))
DOCKERFILE = (PROJECT_ROOT / "Dockerfile").read_text(encoding="utf-8")
HAPROXY = (PROJECT_ROOT / "deploy" / "haproxy.cfg").read_text(encoding="utf-8")


def bot_services():
    return {name: s for name, s in COMPOSE["services"].items() if s.get("build")}


def test_compose_has_every_part_of_a_two_replica_deployment():
    services = COMPOSE["services"]
    assert {"rasa1", "rasa2", "actions", "scheduler", "lb", "postgres", "redis"} <= set(services)
    roles = sorted(s["command"][-1] for s in bot_services().values())
    assert roles == ["actions", "rasa", "rasa", "scheduler"]
    for service in bot_services().values():
        assert service["command"][:3] == ["python", "-m", "bot.serve"] and service["command"][3] in ROLES
        env = service["environment"]
        assert env["COACH_REDIS_URL"].startswith("redis://redis:")  # shared locks and rooms
        assert env["COACH_DATABASE_URL"].startswith("postgresql+psycopg2://")
        assert env["COACH_ACTION_URL"] == "http://actions:5055/webhook"
        assert "${COACH_API_TOKEN:?" in env["COACH_API_TOKEN"], "no default secret"
    assert COMPOSE["services"]["scheduler"]["environment"]["RASA_URL"] == "http://lb:8080"


def test_compose_names_only_files_that_exist():
    for service in COMPOSE["services"].values():
        if service.get("build"):
            assert (PROJECT_ROOT / service["build"] / "Dockerfile").exists()
        for volume in service.get("volumes", []):
            source = volume.split(":")[0]
            if source.startswith("./"):
                assert (PROJECT_ROOT / source).exists(), source
    assert (PROJECT_ROOT / "deploy" / "example.env").exists()


def test_image_copies_existing_paths_runs_as_non_root_with_a_health_check():
    for line in re.findall(r"^COPY (?!--from)(.+)$", DOCKERFILE, flags=re.M):
        for source in line.split()[:-1]:
            assert (PROJECT_ROOT / source).exists(), source
    users = re.findall(r"^USER (\S+)$", DOCKERFILE, flags=re.M)
    assert users and users[-1] not in ("root", "0")
    assert re.search(r"^HEALTHCHECK ", DOCKERFILE, flags=re.M)
    assert "rasa train" in DOCKERFILE and "build_spacy_pipeline" in DOCKERFILE  # baked in
    assert 'CMD ["python", "-m", "bot.serve", "rasa"]' in DOCKERFILE


def test_load_balancer_sends_to_the_compose_rasa_servers_with_sticky_sessions():
    servers = re.findall(r"^\s*server (\S+) (\S+):5005 ", HAPROXY, flags=re.M)
    assert [name for name, _ in servers] == ["rasa1", "rasa2"]
    assert all(host in COMPOSE["services"] for _, host in servers)
    assert "cookie COACH_REPLICA insert" in HAPROXY
    assert COMPOSE["services"]["lb"]["ports"] == ["8080:8080"] and "bind :8080" in HAPROXY


@pytest.mark.skipif(shutil.which("haproxy") is None, reason="haproxy not installed (make lb-deps)")
def test_haproxy_accepts_the_configuration(tmp_path):
    # The compose service names resolve only inside compose: check the syntax with loopback.
    config = tmp_path / "haproxy.cfg"
    config.write_text(re.sub(r"rasa[12]:5005", "127.0.0.1:5005", HAPROXY), encoding="utf-8")
    result = subprocess.run(["haproxy", "-c", "-f", str(config)], capture_output=True, text=True, timeout=30)
    assert result.returncode == 0, result.stdout + result.stderr
