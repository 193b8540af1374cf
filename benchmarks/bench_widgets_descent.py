"""One control change on this chapter's panel(s), kernel CPU time: see bench_widgets_panels.py (all chapters)."""

from __future__ import annotations

from bench_widgets_panels import measure_all, print_table


def main():
    print_table(measure_all("ch3 "))


if __name__ == "__main__":
    main()
