"""The alignment tree: from the North Star KPI and the company's objectives down to the
teams' objectives, and to the key results they align to.

An objective aligns to a parent objective (or one key result of it) of the same or an
enclosing cycle; an objective that aligns to nothing sits under the North Star when it
serves it, and is listed as aligned to nothing otherwise, so a team sees at a glance
which of its bets hang in the air.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from okrkit.domain.cycles import StoredCycle
from okrkit.services.objectives import ObjectiveState, judge_objectives
from okrkit.services.ports import ObjectiveQuery, UnitOfWork
from okrkit.services.tiles import Tile, tiles

__all__ = ["AlignmentTree", "Node", "NorthStar", "alignment_tree"]


@dataclass
class Node:
    """An objective in the tree with what aligns to it: to the objective as a whole
    (`children`), or to one of its key results (`under_key_results`, by id)."""

    state: ObjectiveState
    children: list[Node] = field(default_factory=list)
    under_key_results: dict[int, list[Node]] = field(default_factory=dict)

    @property
    def size(self) -> int:
        """How many objectives this node holds, itself included."""
        below = self.children + [n for nodes in self.under_key_results.values() for n in nodes]
        return 1 + sum(n.size for n in below)


@dataclass(frozen=True)
class NorthStar:
    """A North Star KPI and the objectives that serve it directly (and their trees)."""

    tile: Tile
    objectives: tuple[Node, ...]


@dataclass(frozen=True)
class AlignmentTree:
    """A cycle's alignment: the North Star KPIs with the trees under them, the trees
    whose top objective serves no North Star, and the objectives aligned to nothing."""

    cycle: StoredCycle
    cycles: tuple[StoredCycle, ...]
    north_stars: tuple[NorthStar, ...]
    roots: tuple[Node, ...]
    unaligned: tuple[Node, ...]
    count: int


def alignment_tree(uow: UnitOfWork, cycle: str, now: datetime) -> AlignmentTree:
    """The alignment tree of a cycle's objectives (with the objectives of enclosing
    cycles they align to), judged as of now in a fixed number of queries."""
    with uow:
        stored_cycle = uow.cycles.get(cycle)
        cycles = {c.cycle.name: c for c in uow.cycles.list()}
        listed, _ = uow.objectives.list(ObjectiveQuery(cycle=cycle))
        keys = {o.objective.key for o in listed}
        # Parents in enclosing cycles (a year's company objectives) join the tree.
        wanted = {
            o.objective.parent.objective
            for o in listed
            if o.objective.parent is not None and o.objective.parent.objective not in keys
        }
        if wanted:
            above, _ = uow.objectives.list(ObjectiveQuery(keys=wanted))
            listed = [*above, *listed]
        states = judge_objectives(uow, listed, cycles, now)
        stars = uow.kpis.list()
        star_tiles = tiles(uow, [k for k in stars if k.kpi.north_star], now)
    nodes = {s.key: Node(s) for s in states}
    roots: list[Node] = []
    for node in nodes.values():
        parent = node.state.stored.objective.parent
        if parent is None or parent.objective not in nodes:
            roots.append(node)
            continue
        above_node = nodes[parent.objective]
        if parent.key_result is not None:
            above_node.under_key_results.setdefault(parent.key_result, []).append(node)
        else:
            above_node.children.append(node)
    by_star: dict[str, list[Node]] = {t.stored.kpi.key: [] for t in star_tiles}
    other: list[Node] = []
    unaligned: list[Node] = []
    for node in roots:
        star = node.state.stored.objective.north_star
        if star in by_star:
            by_star[star].append(node)
        elif node.children or node.under_key_results:
            other.append(node)
        else:
            unaligned.append(node)
    return AlignmentTree(
        cycle=stored_cycle,
        cycles=tuple(cycles.values()),
        north_stars=tuple(NorthStar(t, tuple(by_star[t.stored.kpi.key])) for t in star_tiles),
        roots=tuple(other),
        unaligned=tuple(unaligned),
        count=len(states),
    )
