"""The course's data sets: CSV files shipped in the package, each with a data dictionary.

Chapters, assignments and tests all read the same files through `load_dataset`.
"""
from __future__ import annotations

from importlib import resources

import pandas as pd
import yaml

PACKAGE = "contested_peace.data"


def _files():
    return resources.files(PACKAGE)


def available() -> list[str]:
    return sorted(p.name[:-4] for p in _files().iterdir() if p.name.endswith(".csv"))


def load_dataset(name: str) -> pd.DataFrame:
    """A data set as a DataFrame, e.g. ``load_dataset("un_missions")``."""
    path = _files() / f"{name}.csv"
    if not path.is_file():
        raise KeyError(f"no data set '{name}'; available: {', '.join(available())}")
    with resources.as_file(path) as csv:
        return pd.read_csv(csv, keep_default_na=True)


def dictionary(name: str) -> dict:
    """The data dictionary of a data set: title, description, sources, columns."""
    path = _files() / f"{name}.yml"
    if not path.is_file():
        raise KeyError(f"no data dictionary for '{name}'")
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def dictionary_table(name: str) -> pd.DataFrame:
    """The columns of a data set and what each means, for display in the book."""
    columns = dictionary(name)["columns"]
    return pd.DataFrame({"column": list(columns), "meaning": list(columns.values())}).set_index("column")
