"""Declarative models for people, goals, progress updates and follow-ups.

The schema itself is created by the Alembic migrations in ``migrations/versions``; these
classes must stay in step with them (tests/unit/test_store.py compares the two).
"""
from __future__ import annotations

from datetime import datetime, timezone

from sqlalchemy import (
    CheckConstraint,
    Column,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
)
from sqlalchemy.orm import declarative_base, relationship
from sqlalchemy.types import TypeDecorator

PERSONAS = ("coach", "mentor")
GOAL_STATUSES = ("active", "done", "dropped")
FOLLOWUP_STATUSES = ("pending", "claimed", "delivered", "cancelled")

# Stable constraint names so migrations and models agree on every database.
NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

Base = declarative_base(metadata=MetaData(naming_convention=NAMING))


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


class UTCDateTime(TypeDecorator):
    """Stores UTC and always hands back timezone-aware UTC datetimes.

    SQLite keeps no offset, so values are written there as naive UTC; PostgreSQL gets an
    aware value for its ``timestamptz`` column. Naive input is refused: a naive time is
    ambiguous and would silently shift follow-ups by the server's offset.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given; use a timezone-aware UTC datetime")
        value = value.astimezone(timezone.utc)
        if dialect.name == "sqlite":
            return value.replace(tzinfo=None)
        return value

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=timezone.utc)
        return value.astimezone(timezone.utc)


class Person(Base):
    __tablename__ = "people"

    id = Column(Integer, primary_key=True)
    sender_id = Column(String(255), nullable=False, unique=True)
    timezone = Column(String(64), nullable=True)
    created_at = Column(UTCDateTime(), nullable=False, default=utcnow)

    goals = relationship(
        "Goal", back_populates="person", cascade="all, delete-orphan", passive_deletes=True
    )
    followups = relationship(
        "Followup", back_populates="person", cascade="all, delete-orphan", passive_deletes=True
    )


class Goal(Base):
    __tablename__ = "goals"
    __table_args__ = (
        CheckConstraint("persona IN ('coach', 'mentor')", name="persona"),
        CheckConstraint("status IN ('active', 'done', 'dropped')", name="status"),
        CheckConstraint(
            "commitment IS NULL OR (commitment >= 1 AND commitment <= 10)", name="commitment"
        ),
    )

    id = Column(Integer, primary_key=True)
    person_id = Column(
        Integer, ForeignKey("people.id", ondelete="CASCADE"), nullable=False, index=True
    )
    # Text, not String(n): the person's words are kept verbatim whatever their length.
    text = Column(Text, nullable=False)
    topic = Column(String(64), nullable=True)
    persona = Column(String(16), nullable=False, default="coach")
    measure = Column(Text, nullable=True)
    first_step = Column(Text, nullable=True)
    deadline = Column(Date, nullable=True)
    deadline_text = Column(Text, nullable=True)
    commitment = Column(Integer, nullable=True)
    status = Column(String(16), nullable=False, default="active")
    created_at = Column(UTCDateTime(), nullable=False, default=utcnow)
    updated_at = Column(UTCDateTime(), nullable=False, default=utcnow, onupdate=utcnow)

    person = relationship("Person", back_populates="goals")
    progress_updates = relationship(
        "ProgressUpdate",
        back_populates="goal",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="ProgressUpdate.id",
    )


class ProgressUpdate(Base):
    __tablename__ = "progress_updates"

    id = Column(Integer, primary_key=True)
    goal_id = Column(
        Integer, ForeignKey("goals.id", ondelete="CASCADE"), nullable=False, index=True
    )
    text = Column(Text, nullable=False)
    created_at = Column(UTCDateTime(), nullable=False, default=utcnow)

    goal = relationship("Goal", back_populates="progress_updates")


class Followup(Base):
    __tablename__ = "followups"
    __table_args__ = (
        CheckConstraint(
            "status IN ('pending', 'claimed', 'delivered', 'cancelled')", name="status"
        ),
        # The scheduler's hot query: pending rows that are due.
        Index("ix_followups_status_due_at", "status", "due_at"),
    )

    id = Column(Integer, primary_key=True)
    person_id = Column(
        Integer, ForeignKey("people.id", ondelete="CASCADE"), nullable=False, index=True
    )
    goal_id = Column(
        Integer, ForeignKey("goals.id", ondelete="CASCADE"), nullable=True, index=True
    )
    due_at = Column(UTCDateTime(), nullable=False)
    channel = Column(String(32), nullable=False, default="rest")
    status = Column(String(16), nullable=False, default="pending")
    claimed_by = Column(String(255), nullable=True)
    claimed_at = Column(UTCDateTime(), nullable=True)
    delivered_at = Column(UTCDateTime(), nullable=True)
    created_at = Column(UTCDateTime(), nullable=False, default=utcnow)

    person = relationship("Person", back_populates="followups")
    goal = relationship("Goal")
