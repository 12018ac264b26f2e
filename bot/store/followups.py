"""Follow-ups: scheduling check-ins, claiming the due ones (one scheduler per row), and
marking them delivered and shown once (part of Store)."""
from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any, Dict, Iterable, List, Optional

from sqlalchemy import select, update

from bot.store.models import (
    FOLLOWUP_STATUSES,
    Followup,
    Goal,
    Person,
    utcnow,
)

from bot.store.engine import (_check_aware, _check_sender, _iso)


class FollowupsMixin:
    """Follow-up rows (part of Store)."""

    # ---------------------------------------------------------- follow-ups
    def add_followup(
        self,
        sender_id: str,
        due_at: datetime,
        *,
        goal_id: Optional[int] = None,
        channel: str = "rest",
    ) -> Dict[str, Any]:
        """Schedule a check-in; ``channel`` is where the person talks to the bot."""
        due = _check_aware(due_at, "due_at")
        if not isinstance(channel, str) or not channel or len(channel) > 32:
            raise ValueError("channel must be a short non-empty string")
        with self._tx() as s:
            if goal_id is not None:
                goal = self._owned_goal(s, sender_id, goal_id)
                pid = goal.person_id
            else:
                pid = self._person_id(s, sender_id, create=True)
            row = Followup(
                person_id=pid, goal_id=goal_id, due_at=due, channel=channel,
                status="pending", created_at=utcnow(),
            )
            s.add(row)
            s.flush()
            return self._followup_dict(row, sender_id)

    @staticmethod
    def _followup_dict(row: Followup, sender_id: str) -> Dict[str, Any]:
        return {
            "id": row.id,
            "sender_id": sender_id,
            "goal_id": row.goal_id,
            "due_at": _iso(row.due_at),
            "channel": row.channel,
            "status": row.status,
            "created_at": _iso(row.created_at),
            "delivered_at": _iso(row.delivered_at),
        }

    def list_followups(
        self, sender_id: str, statuses: Iterable[str] = ("pending",)
    ) -> List[Dict[str, Any]]:
        """The person's follow-ups with the given statuses, soonest first."""
        statuses = list(statuses)
        if not set(statuses) <= set(FOLLOWUP_STATUSES):
            raise ValueError(f"statuses must be among {FOLLOWUP_STATUSES}")
        with self._tx() as s:
            rows = s.execute(
                select(Followup)
                .join(Person, Followup.person_id == Person.id)
                .where(Person.sender_id == _check_sender(sender_id))
                .where(Followup.status.in_(statuses))
                .order_by(Followup.due_at, Followup.id)
            ).scalars().all()
            return [self._followup_dict(r, sender_id) for r in rows]

    def get_followup(self, sender_id: str, followup_id: int) -> Optional[Dict[str, Any]]:
        """One of the person's follow-ups with its goal's text and first step, else None.

        For the action that handles ``followup_due`` (it gets only the id)."""
        with self._tx() as s:
            row = s.execute(
                select(Followup, Goal.text, Goal.first_step, Goal.status)
                .join(Person, Followup.person_id == Person.id)
                .outerjoin(Goal, Followup.goal_id == Goal.id)
                .where(Followup.id == int(followup_id))
                .where(Person.sender_id == _check_sender(sender_id))
            ).first()
            if row is None:
                return None
            followup, gtext, gstep, gstatus = row
            data = self._followup_dict(followup, sender_id)
            data.update(goal_text=gtext, goal_first_step=gstep, goal_status=gstatus)
            if followup.goal_id is not None:
                data["goal_number"] = self._goal_number(s, followup.goal)
            return data

    def cancel_followups(self, sender_id: str, goal_id: Optional[int] = None) -> int:
        """Cancel the person's pending follow-ups (only those of ``goal_id`` if given)."""
        with self._tx() as s:
            pid = self._person_id(s, sender_id, create=False)
            if pid is None:
                return 0
            stmt = update(Followup.__table__).where(
                Followup.person_id == pid, Followup.status == "pending"
            )
            if goal_id is not None:
                stmt = stmt.where(Followup.goal_id == int(goal_id))
            return s.execute(stmt.values(status="cancelled")).rowcount

    def _claim(
        self,
        now: datetime,
        worker_id: str,
        limit: int,
        channels: Optional[Iterable[str]],
        sender_id: Optional[str] = None,
    ) -> List[Dict[str, Any]]:
        now = _check_aware(now, "now")
        if not worker_id:
            raise ValueError("worker_id is required")
        with self._tx() as s:
            candidates = (
                select(Followup.id)
                .where(Followup.status == "pending", Followup.due_at <= now)
                .order_by(Followup.due_at, Followup.id)
                .limit(limit)
            )
            if channels is not None:
                candidates = candidates.where(Followup.channel.in_(sorted(channels)))
            if sender_id is not None:
                pid = self._person_id(s, sender_id, create=False)
                if pid is None:
                    return []
                candidates = candidates.where(Followup.person_id == pid)
            if self.dialect == "postgresql":
                # Lock our candidates and skip rows another worker is claiming right now.
                candidates = candidates.with_for_update(skip_locked=True)
            ids = s.execute(candidates).scalars().all()
            claimed_at = utcnow()
            claimed = []
            for fid in ids:
                # The status guard makes the claim exactly-once even without row locks
                # (SQLite): a row another worker took in the meantime updates 0 rows.
                result = s.execute(
                    update(Followup.__table__)
                    .where(Followup.id == fid, Followup.status == "pending")
                    .values(status="claimed", claimed_by=worker_id, claimed_at=claimed_at)
                )
                if result.rowcount == 1:
                    claimed.append(fid)
            if not claimed:
                return []
            rows = s.execute(
                select(Followup, Person.sender_id, Person.timezone, Goal.text, Goal.first_step)
                .join(Person, Followup.person_id == Person.id)
                .outerjoin(Goal, Followup.goal_id == Goal.id)
                .where(Followup.id.in_(claimed))
                .order_by(Followup.due_at, Followup.id)
            ).all()
            return [
                {
                    "id": f.id,
                    "sender_id": sid,
                    "timezone": tz,
                    "goal_id": f.goal_id,
                    "goal_text": gtext,
                    "goal_first_step": gstep,
                    "channel": f.channel,
                    "due_at": _iso(f.due_at),
                    "claimed_by": worker_id,
                }
                for f, sid, tz, gtext, gstep in rows
            ]

    def claim_due_followups(
        self,
        now: datetime,
        worker_id: str,
        limit: int = 50,
        channels: Optional[Iterable[str]] = None,
    ) -> List[Dict[str, Any]]:
        """Atomically move due pending follow-ups to claimed for this worker.

        Two workers running at once never get the same row."""
        return self._claim(now, worker_id, limit, channels)

    def claim_due_for_sender(
        self, sender_id: str, now: datetime, worker_id: str, limit: int = 10
    ) -> List[Dict[str, Any]]:
        """Claim this person's due follow-ups (any channel), for their next message."""
        _check_sender(sender_id)
        return self._claim(now, worker_id, limit, None, sender_id=sender_id)

    def mark_delivered(self, followup_id: int) -> bool:
        """claimed -> delivered; False if the row was not claimed (e.g. cancelled)."""
        with self._tx() as s:
            result = s.execute(
                update(Followup.__table__)
                .where(Followup.id == int(followup_id), Followup.status == "claimed")
                .values(status="delivered", delivered_at=utcnow())
            )
            return result.rowcount == 1

    def mark_shown(self, sender_id: str, followup_id: int) -> bool:
        """The check-in is being shown to its person now: claimed (or pending, released
        after a push whose answer was lost) -> delivered, atomically. True once per
        follow-up, whoever asks, however often: the second push of a check-in, from a
        scheduler that retried or from a second scheduler, finds it delivered and shows
        nothing. False too for another person's id or a cancelled one."""
        with self._tx() as s:
            pid = self._person_id(s, sender_id, create=False)
            if pid is None:
                return False
            result = s.execute(
                update(Followup.__table__)
                .where(Followup.id == int(followup_id), Followup.person_id == pid,
                       Followup.status.in_(("claimed", "pending")))
                .values(status="delivered", delivered_at=utcnow())
            )
            return result.rowcount == 1

    def release_claim(self, followup_id: int) -> bool:
        """claimed -> pending after a failed delivery, so a later round retries it."""
        with self._tx() as s:
            result = s.execute(
                update(Followup.__table__)
                .where(Followup.id == int(followup_id), Followup.status == "claimed")
                .values(status="pending", claimed_by=None, claimed_at=None)
            )
            return result.rowcount == 1

    def release_stale_claims(
        self, older_than: timedelta, now: Optional[datetime] = None
    ) -> int:
        """Give back claims a crashed worker never finished."""
        cutoff = (_check_aware(now, "now") if now else utcnow()) - older_than
        with self._tx() as s:
            result = s.execute(
                update(Followup.__table__)
                .where(Followup.status == "claimed", Followup.claimed_at < cutoff)
                .values(status="pending", claimed_by=None, claimed_at=None)
            )
            return result.rowcount
