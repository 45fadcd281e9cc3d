"""The drawing of the chain in the HTML report: an inline SVG with the tiers as columns.

Goods flow left to right: the furthest upstream tier on the left, the company (tier 0) in
the middle, downstream tiers to its right, partners that are not connected in a last
column. Within a column, partners are ordered by the mean position of their neighbours
(two barycentre sweeps) so that most lines run straight. Roles are fill colours (those of
`nofakes graph`), edge kinds line styles; a partner with failing findings has a thick red
border and a badge with its number of gaps. Each partner has a tooltip with its full name.

Only graphs of at most `CHAIN_LIMIT` partners are drawn: a drawing of more cannot be read.
"""

from __future__ import annotations

import html
from collections import defaultdict
from collections.abc import Mapping, Sequence

from nofakes.audit.result import Link, Partner
from nofakes.core.text import ELLIPSIS, count_of
from nofakes.reports.markup import clean, html_name, html_text
from nofakes.supply.drawing import EDGE_STYLE, ROLE_STYLE
from nofakes.supply.model import EdgeKind, Role

CHAIN_LIMIT = 150
COLUMN_WIDTH, BOX_WIDTH, BOX_HEIGHT, ROW_GAP, TOP, MARGIN = 220, 176, 40, 14, 34, 10
LABEL_CHARS = 25
DASHES = {"solid": "", "bold": "", "dashed": "6 4", "dotted": "2 3"}
FILLS = {role.value: fill for role, (_, fill) in ROLE_STYLE.items()}
STYLES = {kind.value: style for kind, style in EDGE_STYLE.items()}


def role_words(role: str) -> str:
    """'contract_manufacturer' -> 'contract manufacturer'."""
    return role.replace("_", " ")


def _label(text: str, limit: int) -> str:
    """The beginning of `text` for a box (the tooltip has all of it), as HTML."""
    shown = clean(text)
    return html.escape(shown if len(shown) <= limit else shown[:limit - 1].rstrip() + ELLIPSIS)


def _dark(fill: str) -> bool:
    red, green, blue = (int(fill[i:i + 2], 16) for i in (1, 3, 5))
    return 0.299 * red + 0.587 * green + 0.114 * blue < 128


def column_title(tier: int | None) -> str:
    if tier is None:
        return "not connected"
    if tier == 0:
        return "company"
    return f"upstream tier {tier}" if tier > 0 else f"downstream tier {-tier}"


def _columns(partners: Mapping[str, Partner], links: Sequence[Link]) -> list[tuple[int | None, list[str]]]:
    """(tier, partner ids) from left to right, each column in barycentre order."""
    by_tier: dict[int | None, list[str]] = defaultdict(list)
    for node_id, partner in partners.items():
        by_tier[partner.tier].append(node_id)
    tiers = sorted((t for t in by_tier if t is not None), reverse=True)
    columns: list[tuple[int | None, list[str]]] = [(tier, by_tier[tier]) for tier in tiers]
    if None in by_tier:
        columns.append((None, by_tier[None]))
    neighbours: dict[str, list[str]] = defaultdict(list)
    for link in links:
        if link.source in partners and link.target in partners:
            neighbours[link.source].append(link.target)
            neighbours[link.target].append(link.source)
    for sweep in (range(1, len(columns)), range(len(columns) - 2, -1, -1)):
        for index in sweep:
            position = {n: i for _, ids in columns for i, n in enumerate(ids)}
            own = set(columns[index][1])
            columns[index][1].sort(key=lambda n: _centre(n, neighbours[n], position, own))
    return columns


def _centre(node_id: str, neighbours: list[str], position: Mapping[str, int], own: set[str]) -> float:
    """The mean row of a partner's neighbours in other columns (its own row when it has none)."""
    around = [position[n] for n in neighbours if n not in own]
    return sum(around) / len(around) if around else position[node_id]


def chain_svg(partners: Mapping[str, Partner], links: Sequence[Link], gaps: Mapping[str, int]) -> str:
    """The SVG element; `gaps`: partner id -> number of failing findings."""
    columns = _columns(partners, links)
    place: dict[str, tuple[int, int, int]] = {}  # id -> (x, y, column)
    rows = max((len(ids) for _, ids in columns), default=0)
    for col, (_, ids) in enumerate(columns):
        for row, node_id in enumerate(ids):
            place[node_id] = (MARGIN + col * COLUMN_WIDTH, TOP + row * (BOX_HEIGHT + ROW_GAP), col)
    width = MARGIN * 2 + max(len(columns) - 1, 0) * COLUMN_WIDTH + BOX_WIDTH
    height = TOP + rows * (BOX_HEIGHT + ROW_GAP) + MARGIN
    out = [f'<svg class="chain" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
           f'width="{width}" height="{height}" role="img" aria-labelledby="chain-title">',
           '<title id="chain-title">The supply chain by tier; partners with failing findings have a red border'
           '</title>',
           '<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" '
           'orient="auto-start-reverse"><path d="M0 0L10 5L0 10z" fill="#555"/></marker></defs>']
    for col, (tier, _) in enumerate(columns):
        x = MARGIN + col * COLUMN_WIDTH + BOX_WIDTH // 2
        out.append(f'<text class="column" x="{x}" y="{TOP - 14}" text-anchor="middle">{column_title(tier)}</text>')
    for link in links:
        if link.source in place and link.target in place:
            out.append(_edge(place[link.source], place[link.target], link.kind))
    for node_id, (x, y, _) in place.items():
        out.append(_node(node_id, partners[node_id], x, y, gaps.get(node_id, 0)))
    out.append("</svg>")
    return "\n".join(out)


def _edge(source: tuple[int, int, int], target: tuple[int, int, int], kind: str) -> str:
    (x1, y1, c1), (x2, y2, c2) = source, target
    y1, y2 = y1 + BOX_HEIGHT // 2, y2 + BOX_HEIGHT // 2
    if c2 > c1:  # forward: right side to left side
        sx, tx = x1 + BOX_WIDTH, x2
        bend = (tx - sx) // 2
        d = f"M{sx} {y1}C{sx + bend} {y1} {tx - bend} {y2} {tx} {y2}"
    elif c2 < c1:  # against the flow (returns): left side to right side
        sx, tx = x1, x2 + BOX_WIDTH
        bend = (sx - tx) // 2
        d = f"M{sx} {y1}C{sx - bend} {y1} {tx + bend} {y2} {tx} {y2}"
    else:  # within a column: a loop out to the right
        sx = x1 + BOX_WIDTH
        d = f"M{sx} {y1}C{sx + 30} {y1} {sx + 30} {y2} {sx} {y2}"
    return (f'<path class="edge" d="{d}"{_dash_attr(kind)} marker-end="url(#arrow)"><title>{html_text(kind)}</title>'
            "</path>")


def _node(node_id: str, partner: Partner, x: int, y: int, gaps: int) -> str:
    fill = FILLS.get(partner.role, "#ffffff")
    details = ", ".join(part for part in (role_words(partner.role), partner.country or "",
                                          f"tier {partner.tier}" if partner.tier is not None else "") if part)
    short = ", ".join(part for part in (role_words(partner.role), partner.country or "") if part)  # tier: the column
    tip = f"{html_text(partner.name)} ({html_name(node_id)}): {html_text(details)}"
    tip += f"; {count_of(gaps, 'failing finding')}" if gaps else "; no failing finding"
    cls = "node" + (" gap" if gaps else "") + (" dark" if _dark(fill) else "")
    parts = [f'<g class="{cls}"><title>{tip}</title>',
             f'<rect x="{x}" y="{y}" width="{BOX_WIDTH}" height="{BOX_HEIGHT}" rx="6" fill="{fill}"/>',
             f'<text x="{x + 8}" y="{y + 16}">{_label(partner.name, LABEL_CHARS)}</text>',
             f'<text class="sub" x="{x + 8}" y="{y + 31}">{_label(short, LABEL_CHARS + 4)}</text>']
    if gaps:
        cx, cy = x + BOX_WIDTH - 2, y + 2
        parts.append(f'<circle cx="{cx}" cy="{cy}" r="10"/><text class="badge" x="{cx}" y="{cy + 4}" '
                     f'text-anchor="middle">{gaps if gaps < 100 else "99+"}</text>')
    parts.append("</g>")
    return "".join(parts)


def legend(partners: Mapping[str, Partner], links: Sequence[Link]) -> str:
    """The roles and edge kinds present, as HTML."""
    roles = [role.value for role in Role if any(p.role == role.value for p in partners.values())]
    kinds = [kind.value for kind in EdgeKind if any(link.kind == kind.value for link in links)]
    items = [f'<li><span class="swatch" style="background:{FILLS[r]}"></span>{role_words(r)}</li>' for r in roles]
    items += [f'<li><svg width="34" height="10" aria-hidden="true"><line x1="0" y1="5" x2="34" y2="5" '
              f'stroke="#555"{_dash_attr(k)}/></svg>{k}</li>' for k in kinds]
    items.append('<li><span class="swatch gap"></span>partner with failing findings (badge: how many)</li>')
    return '<ul class="legend">' + "".join(items) + "</ul>"


def _dash_attr(kind: str) -> str:
    style = STYLES.get(kind, "solid")
    return (f' stroke-dasharray="{DASHES[style]}"' if DASHES[style] else "") + \
        (' stroke-width="2.5"' if style == "bold" else "")
