"""The figures one fault case produced, and the markdown table docs/reliability.md
shows: counted at the emulator, seen by the seller, timed at the click."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

HEADER = (
    "| Fault (emulator control) | On | PATCHes received | PATCHes applied | GETs | "
    "Seller sees | Invoke | Click wall time | Second click (fault cleared) | Applied in total |"
)
RULE = "|---|---|---:|---:|---:|---|---|---:|---|---:|"
LEGEND = (
    "PATCHes and GETs are what the Partner Center emulator recorded for the faulted step (the "
    "Confirm click, or the `mark 123 won` message for faults on the proposal's GET). Applied = "
    "PATCHes that changed the referral (answered 2xx, or dropped after the write landed). "
    "Invoke = HTTP status of `/api/messages` and the invoke body's `type` (card: the clicked card "
    "is replaced; message: Teams shows the text and keeps the card). Client settings: "
    "{settings}."
)


@dataclass(frozen=True)
class FaultFigures:
    """One row: a fault, where it was injected, and what everybody saw."""

    fault: str
    on: str
    patches: int
    applied: int
    gets: int
    seller_sees: str
    invoke: str
    wall_seconds: float
    second_click: str
    applied_total: int

    def row(self) -> str:
        cells = (
            self.fault,
            self.on,
            str(self.patches),
            str(self.applied),
            str(self.gets),
            self.seller_sees,
            self.invoke,
            f"{self.wall_seconds:.2f} s",
            self.second_click,
            str(self.applied_total),
        )
        return "| " + " | ".join(cell.replace("|", "\\|") for cell in cells) + " |"


@dataclass
class FigureBook:
    """Session-wide collector: the parametrized test adds rows, the finalizer writes them."""

    settings: str
    rows: list[FaultFigures] = field(default_factory=list)

    def add(self, figures: FaultFigures) -> None:
        self.rows.append(figures)

    def markdown(self) -> str:
        lines = [HEADER, RULE, *(figures.row() for figures in self.rows)]
        return "\n".join([*lines, "", LEGEND.format(settings=self.settings), ""])

    def write(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(self.markdown(), encoding="utf-8")
