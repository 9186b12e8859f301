"""frozen_time: rows written inside it carry the moment given, and only there."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from memtui.core.models import Kind, Scope
from memtui.services import curate
from memtui.services.curate import ScopeChange
from memtui.store import Database
from memtui.store.models import frozen_time, utcnow

MOMENT = datetime(2026, 3, 9, 18, 30, tzinfo=timezone(timedelta(hours=2)))


def test_rows_written_inside_carry_the_moment_in_utc(db: Database) -> None:
    with frozen_time(MOMENT):
        assert utcnow() == MOMENT
        assert utcnow().tzinfo is UTC
        belief, _ = curate.add_belief(db, "Use pnpm, not npm", Kind.RULE, ScopeChange(Scope.GLOBAL))
    assert belief.created_at == belief.updated_at == MOMENT
    [event] = curate.show(db, belief.id).events
    assert event.created_at == MOMENT
    later, _ = curate.add_belief(db, "Answer in English", Kind.RULE, ScopeChange(Scope.GLOBAL))
    assert later.created_at > MOMENT  # the clock runs again outside


def test_it_nests_and_restores(db: Database) -> None:
    with frozen_time(MOMENT):
        with frozen_time(MOMENT + timedelta(hours=1)):
            assert utcnow() == MOMENT + timedelta(hours=1)
        assert utcnow() == MOMENT
    assert utcnow() > MOMENT


def test_a_moment_without_a_zone_is_refused() -> None:
    with pytest.raises(ValueError, match="timezone-aware"), frozen_time(datetime(2026, 3, 9)):
        pass
