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

from okrkit.domain.access import Actor
from okrkit.domain.cycles import StoredCycle
from okrkit.domain.objectives import StoredObjective
from okrkit.services.access import sight
from okrkit.services.objectives import ObjectiveState, judge_objectives, seen_state
from okrkit.services.ports import ObjectiveQuery, UnitOfWork
from okrkit.services.tiles import Tile, tiles

__all__ = ["AlignmentTree", "Node", "NorthStar", "alignment_tree"]


@dataclass
class Node:
    """An objective in the tree with what aligns to it: to the objective as a whole
    (`children`), or to one of its key results (`under_key_results`, by id).

    For a reader who may not see some private objectives, the private siblings under
    one parent are one placeholder node: no `state` (no key, title, owner, team or
    progress), `hidden` how many it stands for, and as `children` whatever aligns to
    any of them (the objectives the reader sees, and placeholders for the private ones
    below), not told apart by key result."""

    state: ObjectiveState | None
    children: list[Node] = field(default_factory=list)
    under_key_results: dict[int, list[Node]] = field(default_factory=dict)
    hidden: int = 0

    @property
    def size(self) -> int:
        """How many objectives this node holds, itself (or the private ones it stands
        for) included."""
        below = self.children + [n for nodes in self.under_key_results.values() for n in nodes]
        return (1 if self.state is not None else self.hidden) + sum(n.size for n in below)


@dataclass(frozen=True)
class NorthStar:
    """A North Star KPI and the objectives that serve it directly (and their trees)."""

    tile: Tile
    objectives: tuple[Node, ...]


@dataclass(frozen=True)
class AlignmentTree:
    """A cycle's alignment: the North Star KPIs with the trees under them, the trees
    whose top objective serves no North Star, and the objectives aligned to nothing;
    `count` how many objectives the reader sees in it (placeholders say how many
    private ones stand where)."""

    cycle: StoredCycle
    cycles: tuple[StoredCycle, ...]
    north_stars: tuple[NorthStar, ...]
    roots: tuple[Node, ...]
    unaligned: tuple[Node, ...]
    count: int


def _collapsed(nodes: list[Node]) -> list[Node]:
    """Siblings as a reader sees them: each one they see, with what is below it
    collapsed the same way; the private ones, one placeholder after them holding what
    aligns to any of them."""
    shown: list[Node] = []
    private: list[Node] = []
    for node in nodes:
        if node.state is None:
            private.append(node)
            continue
        node.children = _collapsed(node.children)
        node.under_key_results = {
            kr: _collapsed(below) for kr, below in node.under_key_results.items()
        }
        shown.append(node)
    if private:
        below = [
            n
            for p in private
            for n in [*p.children, *(m for ms in p.under_key_results.values() for m in ms)]
        ]
        shown.append(Node(None, _collapsed(below), hidden=len(private)))
    return shown


def alignment_tree(uow: UnitOfWork, cycle: str, now: datetime, *, viewer: Actor) -> AlignmentTree:
    """The alignment tree of a cycle's objectives (with the objectives of enclosing
    cycles they align to), judged as of now in a fixed number of queries, as `viewer`
    may see it: each private objective they may not see is a placeholder ("2 private
    objectives") under its parent, what aligns to it hangs under that placeholder, and
    a private North Star KPI they may not see is not shown."""
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
        hidden = sight(uow, viewer)
        seen = [o for o in listed if hidden.objective(o.objective.key)]
        states = [seen_state(s, hidden) for s in judge_objectives(uow, seen, cycles, now)]
        stars = [k for k in uow.kpis.list() if k.kpi.north_star and hidden.kpi(k.kpi.key)]
        star_tiles = tiles(uow, stars, now)
    judged = {s.key: s for s in states}
    # Built on the objectives as stored (a placeholder stands where a private one is);
    # what each reader sees of them is `seen_state`'s.
    nodes = {o.objective.key: Node(judged.get(o.objective.key), hidden=1) for o in listed}
    raw: dict[str, StoredObjective] = {o.objective.key: o for o in listed}
    roots: list[tuple[str, Node]] = []
    for key, node in nodes.items():
        parent = raw[key].objective.parent
        if parent is None or parent.objective not in nodes:
            roots.append((key, node))
            continue
        above_node = nodes[parent.objective]
        if parent.key_result is not None and above_node.state is not None:
            above_node.under_key_results.setdefault(parent.key_result, []).append(node)
        else:
            above_node.children.append(node)
    by_star: dict[str, list[Node]] = {t.stored.kpi.key: [] for t in star_tiles}
    other: list[Node] = []
    unaligned: list[Node] = []
    for key, node in roots:
        star = raw[key].objective.north_star
        if star in by_star:
            by_star[star].append(node)
        elif node.children or node.under_key_results:
            other.append(node)
        else:
            unaligned.append(node)
    return AlignmentTree(
        cycle=stored_cycle,
        cycles=tuple(cycles.values()),
        north_stars=tuple(
            NorthStar(t, tuple(_collapsed(by_star[t.stored.kpi.key]))) for t in star_tiles
        ),
        roots=tuple(_collapsed(other)),
        unaligned=tuple(_collapsed(unaligned)),
        count=len(states),
    )
