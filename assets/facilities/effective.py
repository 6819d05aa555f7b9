"""Effective status: what a facility does at an instant, from its own report and from what
feeds it, never from the construction stage of its building.

A facility's *effective* status is

- its reported status when that takes it out of service or not yet into it (``fault``,
  ``offline``, ``maintenance``, ``planned``, ``under_construction``);
- ``no_power`` when it reports itself in service (``operational`` or ``degraded``) but no
  power reaches it: a power consumer at level ``none``, a hall with a row at ``none``
  (:func:`~assets.facilities.power.power_levels`, :func:`~assets.facilities.power.hall_levels`);
- ``lost_redundancy`` when it is in service, designed 2N and now fed on one side only (``N``);
- else its reported status (``operational`` or ``degraded``).

These are the conditions the alert rules ``hall-power`` and ``hall-redundancy`` raise on
(:mod:`assets.facilities.alerts`): the colours, the cards and the API read them from here.

A building (or a floor) takes the worst effective status of the facilities in it that are *in
service* (not ``planned`` nor ``under_construction``); only when none is in service does it
take the worst of those still planned or being built: one network link still under
construction does not make a running data centre "under construction". A building whose
principal facility (one holding others, the data centre itself) is not in service yet takes
that facility's status, whatever runs in it already (:func:`building_status`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from assets.facilities.kinds import CARRYING
from assets.facilities.power import design_statuses, hall_levels, power_levels
from assets.facilities.topology import Topology

EFFECTIVE_ORDER = (
    "fault",
    "offline",
    "no_power",
    "lost_redundancy",
    "degraded",
    "maintenance",
    "under_construction",
    "planned",
)
"""Effective statuses from worst to mildest; ``operational`` is best."""
NOT_IN_SERVICE = frozenset({"planned", "under_construction"})
"""Statuses of a facility not yet in service."""


def effective_statuses(topology: Topology, statuses: Mapping[str, str]) -> dict[str, str]:
    """The effective status of every facility of ``topology``.

    Parameters
    ----------
    statuses : facility id -> reported status (missing: ``planned``).
    """
    levels = dict(power_levels(topology, statuses))
    levels |= hall_levels(topology, levels)
    design = dict(power_levels(topology, design_statuses(topology)))
    design |= hall_levels(topology, design)
    out: dict[str, str] = {}
    for fid in topology.facilities:
        own = statuses.get(fid, "planned")
        level = levels.get(fid)
        if own not in CARRYING or level is None:
            out[fid] = own
        elif level == "none":
            out[fid] = "no_power"
        elif level == "N" and design.get(fid) == "2N":
            out[fid] = "lost_redundancy"
        else:
            out[fid] = own
    return out


def building_status(topology: Topology, building: str, effective: Mapping[str, str]) -> str:
    """The effective status of ``building`` from its facilities' (module docstring)."""
    nodes = [n for n in topology.facilities.values() if n.building == building]
    principal = [effective[n.id] for n in nodes if n.parent is None and topology.children(n.id)]
    waiting = [s for s in principal if s in NOT_IN_SERVICE]
    if waiting:
        return worst_effective(waiting)
    return worst_effective(effective[n.id] for n in nodes)


def worst_effective(found: Iterable[str]) -> str:
    """The worst of several effective statuses, in-service ones first (``planned`` if none).

    Statuses of facilities not yet in service count only when no facility is in service.
    """
    seen = list(found)
    serving = [s for s in seen if s not in NOT_IN_SERVICE]
    chosen = serving or seen
    if not chosen:
        return "planned"
    return next((s for s in EFFECTIVE_ORDER if s in chosen), "operational")
