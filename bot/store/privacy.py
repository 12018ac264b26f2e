"""Privacy: deleting everything stored about a person, and exporting it (part of Store)."""
from __future__ import annotations

import logging
from typing import Any, Dict, List

from sqlalchemy import delete, select

from bot.store.files import checkpoint
from bot.store.models import (
    Followup,
    Goal,
    Person,
    ProgressUpdate,
)

from bot.store.engine import (_check_sender, _iso, _short_reason)

log = logging.getLogger("bot.store.store")


class PrivacyMixin:
    """"delete my data" and "export my data" (part of Store)."""

    # ---------------------------------------------------- privacy (delete/export)
    def delete_person(self, sender_id: str) -> Dict[str, int]:
        """Remove the person and everything stored about them; returns what was removed."""
        counts = {"goals": 0, "progress_updates": 0, "followups": 0}
        with self._tx() as s:
            pid = self._person_id(s, sender_id, create=False)
            if pid is None:
                return counts
            goal_ids = select(Goal.id).where(Goal.person_id == pid).scalar_subquery()
            # Explicit deletes (children first) so counts are exact and nothing relies on
            # the database enforcing ON DELETE CASCADE.
            counts["followups"] = s.execute(
                delete(Followup.__table__).where(Followup.person_id == pid)
            ).rowcount
            counts["progress_updates"] = s.execute(
                delete(ProgressUpdate.__table__).where(ProgressUpdate.goal_id.in_(goal_ids))
            ).rowcount
            counts["goals"] = s.execute(
                delete(Goal.__table__).where(Goal.person_id == pid)
            ).rowcount
            s.execute(delete(Person.__table__).where(Person.id == pid))
        try:  # no deleted text may stay in the WAL file until some later checkpoint
            checkpoint(self.engine)
        except Exception as e:
            log.warning("WAL checkpoint after deleting sender %s failed: %s", sender_id, _short_reason(e))
        log.info("deleted data of sender %s: %s", sender_id, counts)
        return counts

    def export_person(self, sender_id: str) -> Dict[str, Any]:
        """Everything stored about the person, as JSON-serialisable data."""
        with self._tx() as s:
            person = s.execute(
                select(Person).where(Person.sender_id == _check_sender(sender_id))
            ).scalar()
            if person is None:
                return {"sender_id": sender_id, "timezone": None, "created_at": None,
                        "goals": [], "followups": []}
            goals = s.execute(
                select(Goal).where(Goal.person_id == person.id).order_by(Goal.id)
            ).scalars().all()
            progress = s.execute(
                select(ProgressUpdate)
                .where(ProgressUpdate.goal_id.in_([g.id for g in goals] or [-1]))
                .order_by(ProgressUpdate.id)
            ).scalars().all()
            followups = s.execute(
                select(Followup).where(Followup.person_id == person.id).order_by(Followup.id)
            ).scalars().all()
            by_goal: Dict[int, List[Dict[str, Any]]] = {}
            for p in progress:
                by_goal.setdefault(p.goal_id, []).append(
                    {"id": p.id, "text": p.text, "created_at": _iso(p.created_at)}
                )
            goal_dicts = []
            for i, g in enumerate(goals, 1):
                entries = by_goal.get(g.id, [])
                d = self._goal_dict(g, i, entries[-1]["text"] if entries else None)
                d["progress_updates"] = entries
                goal_dicts.append(d)
            return {
                "sender_id": person.sender_id,
                "timezone": person.timezone,
                "created_at": _iso(person.created_at),
                "goals": goal_dicts,
                "followups": [self._followup_dict(f, sender_id) for f in followups],
            }
