"""Two evaluators saving the same grid cell at the same moment end with one clean result, the other
told of the conflict, and an audit trail: no lost update.

The threaded test runs with real transactions (each thread its own connection). A period row lock
(`select_for_update` in services._open_period) and the conditional `UPDATE … WHERE version = v` decide
the winner on PostgreSQL; on SQLite the IMMEDIATE transactions serialize the writers.
"""

from __future__ import annotations

import threading
from decimal import Decimal

import pytest
from django.db import OperationalError, close_old_connections, connection

from xianfeng.core.models import AuditEvent
from xianfeng.scoring import services
from xianfeng.scoring.models import Entry
from xianfeng.scoring.tests.helpers import branch_scheme, department_head, dim


def _race(world, version_of):
    scheme = branch_scheme(world)
    period = scheme.periods.order_by("start").first()
    party = dim(scheme, "party")
    heads = [department_head(world, "ph1", "党建部"), department_head(world, "ph2", "党建部")]
    start = version_of(heads[0], period, party)
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def save(user, points):
        try:
            barrier.wait(timeout=10)
            services.cell_save(
                actor=user,
                period=period,
                dimension=party,
                subject=world.branch_a,
                points=points,
                version=start,
            )
            outcomes.append(f"saved {points}")
        except services.Conflict:
            outcomes.append("conflict")
        except OperationalError as exc:  # SQLite's in-memory test database may refuse the second writer
            outcomes.append(f"locked: {exc}")
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=save, args=(u, p)) for u, p in zip(heads, ("30", "20"), strict=True)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    return outcomes


def _check(outcomes):
    if connection.vendor == "sqlite" and any(o.startswith("locked") for o in outcomes):
        pytest.skip(
            "the in-memory SQLite test database does not let two threads write; see the PostgreSQL run"
        )
    saved = [o for o in outcomes if o.startswith("saved")]
    assert len(saved) == 1 and outcomes.count("conflict") == 1, outcomes
    cell = Entry.objects.get(source="grid")
    assert cell.points == Decimal(saved[0].split()[1])
    assert (
        AuditEvent.objects.filter(action="scoring.cell_save", target_id=str(cell.pk)).count() == cell.version
    )


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_evaluators_create_the_same_empty_cell(world):
    _check(_race(world, lambda user, period, party: 0))


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_evaluators_update_the_same_cell(world):
    def first_save(user, period, party):
        services.cell_save(
            actor=user, period=period, dimension=party, subject=world.branch_a, points="25", version=0
        )
        return 1

    _check(_race(world, first_save))


@pytest.mark.django_db
def test_interleaved_reads_lose_nothing(world):
    """Evaluator 1 and 2 open the grid (version 0); 1 saves; 2's save is refused with 1's value."""
    scheme = branch_scheme(world)
    period, party = scheme.periods.order_by("start").first(), dim(scheme, "party")
    one, two = department_head(world, "ph1", "党建部"), department_head(world, "ph2", "党建部")
    services.cell_save(
        actor=one, period=period, dimension=party, subject=world.branch_a, points="30", version=0
    )
    with pytest.raises(services.Conflict) as err:
        services.cell_save(
            actor=two, period=period, dimension=party, subject=world.branch_a, points="20", version=0
        )
    assert err.value.current is not None and err.value.current.points == 30
    assert Entry.objects.get(source="grid").points == 30
    assert list(
        AuditEvent.objects.filter(action="scoring.cell_save").values_list("actor_name", flat=True)
    ) == ["ph1"]
