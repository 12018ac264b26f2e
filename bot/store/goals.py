"""People, goals and progress: the Store's goal rows, always scoped to one sender_id."""
from __future__ import annotations

import re
from datetime import date, datetime
from typing import Any, Dict, Iterable, List, Optional

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from bot.store.models import (
    GOAL_STATUSES,
    PERSONAS,
    Followup,
    Goal,
    Person,
    ProgressUpdate,
    utcnow,
)

from bot.store.engine import (GoalNotFound, _check_sender, _iso)

GOAL_FIELDS = (
    "text", "topic", "persona", "measure", "first_step", "deadline", "deadline_text",
    "commitment", "status",
)
# Words that say nothing about which goal is meant ("the public speaking goal").
_MATCH_STOPWORDS = frozenset(
    "a an the my our your his her their this that these those one goal goals about with "
    "for and or on to of in at it its i me we how what progress update on".split()
)


def _words(text: str) -> List[str]:
    return [w for w in re.findall(r"[a-z0-9]+", text.lower()) if w]


def _word_match(query_word: str, goal_word: str) -> bool:
    if query_word == goal_word:
        return True
    # Tolerate inflections ("speak" / "speaking", "negotiate" / "negotiation").
    short, long_ = sorted((query_word, goal_word), key=len)
    return len(short) >= 4 and long_.startswith(short[: max(4, len(short) - 2)])


class GoalsMixin:
    """People's time zones, goals and progress updates (part of Store)."""


    def _owned_goal(self, s: Session, sender_id: str, goal_id: Any) -> Goal:
        _check_sender(sender_id)
        try:
            gid = int(goal_id)
        except (TypeError, ValueError):
            raise GoalNotFound(goal_id) from None
        goal = s.execute(
            select(Goal)
            .join(Person, Goal.person_id == Person.id)
            .where(Goal.id == gid, Person.sender_id == sender_id)
        ).scalar()
        if goal is None:
            raise GoalNotFound(goal_id)
        return goal

    def _goal_number(self, s: Session, goal: Goal) -> int:
        return s.execute(
            select(func.count(Goal.id)).where(
                Goal.person_id == goal.person_id, Goal.id <= goal.id
            )
        ).scalar_one()

    def _last_progress(self, s: Session, goal_ids: Iterable[int]) -> Dict[int, str]:
        ids = list(goal_ids)
        if not ids:
            return {}
        rows = s.execute(
            select(ProgressUpdate.goal_id, ProgressUpdate.text)
            .where(ProgressUpdate.goal_id.in_(ids))
            .order_by(ProgressUpdate.id)
        ).all()
        return {goal_id: text for goal_id, text in rows}  # later rows overwrite earlier

    @staticmethod
    def _goal_dict(goal: Goal, number: int, last_progress: Optional[str]) -> Dict[str, Any]:
        return {
            "number": number,
            "id": goal.id,
            "text": goal.text,
            "status": goal.status,
            "topic": goal.topic,
            "persona": goal.persona,
            "measure": goal.measure,
            "first_step": goal.first_step,
            "deadline": _iso(goal.deadline),
            "deadline_text": goal.deadline_text,
            "commitment": goal.commitment,
            "last_progress": last_progress,
            "created_at": _iso(goal.created_at),
            "updated_at": _iso(goal.updated_at),
        }

    def _single_goal_dict(self, s: Session, goal: Goal) -> Dict[str, Any]:
        last = self._last_progress(s, [goal.id]).get(goal.id)
        return self._goal_dict(goal, self._goal_number(s, goal), last)

    @staticmethod
    def _validate_goal_fields(fields: Dict[str, Any]) -> Dict[str, Any]:
        unknown = set(fields) - set(GOAL_FIELDS)
        if unknown:
            raise ValueError(f"unknown goal fields: {sorted(unknown)}")
        out = dict(fields)
        if "text" in out and (not isinstance(out["text"], str) or not out["text"].strip()):
            raise ValueError("goal text must be a non-empty string")
        if "persona" in out and out["persona"] not in PERSONAS:
            raise ValueError(f"persona must be one of {PERSONAS}")
        if "status" in out and out["status"] not in GOAL_STATUSES:
            raise ValueError(f"status must be one of {GOAL_STATUSES}")
        if out.get("commitment") is not None:
            c = out["commitment"]
            if isinstance(c, bool) or not isinstance(c, int) or not 1 <= c <= 10:
                raise ValueError("commitment must be an integer from 1 to 10")
        if out.get("deadline") is not None:
            d = out["deadline"]
            if isinstance(d, datetime):
                out["deadline"] = d.date()
            elif isinstance(d, str):
                out["deadline"] = date.fromisoformat(d)
            elif not isinstance(d, date):
                raise ValueError("deadline must be a date")
        return out

    def _cancel_pending(self, s: Session, goal_id: int) -> int:
        result = s.execute(
            update(Followup.__table__)
            .where(Followup.goal_id == goal_id, Followup.status == "pending")
            .values(status="cancelled")
        )
        return result.rowcount

    # ------------------------------------------------------------- people
    def set_timezone(self, sender_id: str, tz: Optional[str]) -> None:
        """Remember the person's IANA time zone (None clears it)."""
        if tz is not None:
            from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

            try:
                ZoneInfo(tz)
            except (ZoneInfoNotFoundError, ValueError):
                raise ValueError(f"unknown time zone: {tz!r}") from None
        with self._tx() as s:
            pid = self._person_id(s, sender_id, create=True)
            s.execute(update(Person.__table__).where(Person.id == pid).values(timezone=tz))

    def get_timezone(self, sender_id: str) -> Optional[str]:
        with self._tx() as s:
            return s.execute(
                select(Person.timezone).where(Person.sender_id == _check_sender(sender_id))
            ).scalar()

    # -------------------------------------------------------------- goals
    def add_goal(
        self,
        sender_id: str,
        text: str,
        *,
        topic: Optional[str] = None,
        persona: str = "coach",
        measure: Optional[str] = None,
        first_step: Optional[str] = None,
        deadline: Optional[date] = None,
        deadline_text: Optional[str] = None,
        commitment: Optional[int] = None,
    ) -> Dict[str, Any]:
        """Store a goal (and the person, if new) in one transaction."""
        fields = self._validate_goal_fields(
            dict(
                text=text, topic=topic, persona=persona, measure=measure,
                first_step=first_step, deadline=deadline, deadline_text=deadline_text,
                commitment=commitment,
            )
        )
        with self._tx() as s:
            pid = self._person_id(s, sender_id, create=True)
            now = utcnow()
            goal = Goal(person_id=pid, status="active", created_at=now, updated_at=now, **fields)
            s.add(goal)
            s.flush()
            return self._single_goal_dict(s, goal)

    def list_goals(self, sender_id: str) -> List[Dict[str, Any]]:
        """All the person's goals in creation order; ``number`` is the 1-based position."""
        with self._tx() as s:
            goals = s.execute(
                select(Goal)
                .join(Person, Goal.person_id == Person.id)
                .where(Person.sender_id == _check_sender(sender_id))
                .order_by(Goal.id)
            ).scalars().all()
            last = self._last_progress(s, [g.id for g in goals])
            return [self._goal_dict(g, i, last.get(g.id)) for i, g in enumerate(goals, 1)]

    def get_goal(
        self, sender_id: str, number: Optional[int] = None, *, goal_id: Optional[int] = None
    ) -> Optional[Dict[str, Any]]:
        """A goal by its list number (as the person sees it) or by ``goal_id``; else None."""
        if goal_id is not None:
            with self._tx() as s:
                try:
                    return self._single_goal_dict(s, self._owned_goal(s, sender_id, goal_id))
                except GoalNotFound:
                    return None
        if number is None:
            raise ValueError("give a goal number or goal_id")
        goals = self.list_goals(sender_id)
        try:
            n = int(number)
        except (TypeError, ValueError):
            return None
        return goals[n - 1] if 1 <= n <= len(goals) else None

    def find_goals(self, sender_id: str, text: str) -> List[Dict[str, Any]]:
        """Goals whose text or topic shares words with ``text``, best match first."""
        query = [w for w in _words(text or "") if len(w) >= 3 and w not in _MATCH_STOPWORDS]
        if not query:
            return []
        scored = []
        for goal in self.list_goals(sender_id):
            goal_words = set(_words(goal["text"]))
            if goal["topic"]:
                goal_words.update(_words(goal["topic"].replace("_", " ")))
            score = sum(1 for q in query if any(_word_match(q, w) for w in goal_words))
            if score:
                scored.append((-score, goal["number"], goal))
        return [g for _, _, g in sorted(scored, key=lambda t: t[:2])]

    def update_goal(self, sender_id: str, goal_id: int, **fields: Any) -> Dict[str, Any]:
        """Change some of a goal's fields; a status change follows set_status's rules."""
        fields = self._validate_goal_fields(fields)
        with self._tx() as s:
            goal = self._owned_goal(s, sender_id, goal_id)
            for name, value in fields.items():
                setattr(goal, name, value)
            if fields.get("status") in ("done", "dropped"):
                self._cancel_pending(s, goal.id)
            goal.updated_at = utcnow()
            s.flush()
            return self._single_goal_dict(s, goal)

    def set_status(self, sender_id: str, goal_id: int, status: str) -> Dict[str, Any]:
        """active/done/dropped; done and dropped cancel the goal's pending follow-ups."""
        return self.update_goal(sender_id, goal_id, status=status)

    def add_progress(
        self, sender_id: str, goal_id: int, text: str, done: bool = False
    ) -> Dict[str, Any]:
        """Record progress; ``done=True`` also completes the goal and cancels follow-ups."""
        if not isinstance(text, str) or not text.strip():
            raise ValueError("progress text must be a non-empty string")
        with self._tx() as s:
            goal = self._owned_goal(s, sender_id, goal_id)
            now = utcnow()
            update_row = ProgressUpdate(goal_id=goal.id, text=text, created_at=now)
            s.add(update_row)
            cancelled = 0
            if done:
                goal.status = "done"
                cancelled = self._cancel_pending(s, goal.id)
            goal.updated_at = now
            s.flush()
            return {
                "id": update_row.id,
                "goal_id": goal.id,
                "goal_number": self._goal_number(s, goal),
                "text": update_row.text,
                "created_at": _iso(update_row.created_at),
                "goal_status": goal.status,
                "cancelled_followups": cancelled,
            }
