"""The course's data sets: CSV files shipped in this package, each with a data dictionary
(`<name>.yml`) beside it.  Chapters and assignments read them through `load_dataset`."""
from __future__ import annotations

from importlib import resources

import pandas as pd
import yaml

PACKAGE = __package__ + ".data"


def available() -> list[str]:
    return sorted(p.name[:-4] for p in resources.files(PACKAGE).iterdir() if p.name.endswith(".csv"))


def load_dataset(name: str) -> pd.DataFrame:
    """A data set as a DataFrame, e.g. ``load_dataset("pastures")``."""
    path = resources.files(PACKAGE) / f"{name}.csv"
    if not path.is_file():
        raise KeyError(f"no data set '{name}'; available: {', '.join(available())}")
    with resources.as_file(path) as csv:
        return pd.read_csv(csv)


def dictionary(name: str) -> dict:
    """The data dictionary of a data set: title, description, sources, columns."""
    return yaml.safe_load((resources.files(PACKAGE) / f"{name}.yml").read_text(encoding="utf-8"))
