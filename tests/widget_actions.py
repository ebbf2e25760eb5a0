"""Using a widget the way a reader would, in any page that draws it: the static book or a
live JupyterLab (tests/test_book.py, tests/test_widgets_in_lab.py)."""
from __future__ import annotations

import re

from playwright.sync_api import TimeoutError as PlaywrightTimeout

# How long a control may take to change what a widget shows before the next kind of
# control is tried: a redraw waits on nothing but the browser (and, in JupyterLab, the
# widget's model), so this bounds a wait for a change, it does not pace one.
REDRAW_MS = 3000


def responds(page, widget) -> bool:
    """Use the widget's controls one kind after another until what it shows (its drawing
    and text) changes; the change is waited for, not given a fixed time."""
    before = widget.inner_html()
    for action in _ACTIONS:
        if action(widget):
            check = widget.locator("button:not([disabled])", has_text=re.compile("^(Check|Next|Show)"))
            if check.count():
                check.first.click()
            if _changed(page, widget, before):
                return True
    return False


def _changed(page, widget, before: str) -> bool:
    try:
        page.wait_for_function("([element, before]) => element.innerHTML !== before",
                               arg=[widget.element_handle(), before], timeout=REDRAW_MS)
        return True
    except PlaywrightTimeout:
        return False


def responds_to_keys(widget) -> bool:
    """The same with the keyboard alone, in the static book (where a widget redraws as the
    key is handled): each control gets the focus and the keys a keyboard user presses on
    it (arrows, Space, End, typing, Enter). That Tab reaches every control is tested apart
    (tests/test_accessibility.py)."""
    before = (widget.inner_text(), widget.inner_html())
    for action in _KEY_ACTIONS:
        if action(widget):
            check = widget.locator("button:not([disabled])", has_text=re.compile("^(Check|Next|Show)"))
            if check.count():
                check.first.focus()
                check.first.press("Enter")
            if (widget.inner_text(), widget.inner_html()) != before:
                return True
    return False


def _radios(widget) -> bool:
    radio = widget.locator("input[type=radio]")
    names = dict.fromkeys(radio.nth(i).get_attribute("name") for i in range(radio.count()))
    for name in names:   # one choice in every group
        widget.locator(f"input[type=radio][name='{name}']").last.check()
    return bool(names)


def _selects(widget) -> bool:
    select = widget.locator("select")
    for i in range(select.count()):
        options = select.nth(i).locator("option")
        select.nth(i).select_option(index=options.count() - 1)
    return select.count() > 0


def _checkboxes(widget) -> bool:
    box = widget.locator("input[type=checkbox]")
    if box.count():
        box.first.click()
    return box.count() > 0


def _sliders(widget) -> bool:
    slider = widget.locator("input[type=range]")
    if slider.count():
        slider.first.focus()
        for _ in range(3):
            slider.first.press("ArrowRight")
    return slider.count() > 0


def _fields(widget) -> bool:
    field = widget.locator("input[type=number], input[type=text]")
    if field.count():
        field.first.fill("1")
    return field.count() > 0


def _buttons(widget) -> bool:
    button = widget.locator("button:not([disabled])")
    if button.count():
        button.first.click()
    return button.count() > 0


_ACTIONS = [_radios, _selects, _checkboxes, _sliders, _fields, _buttons]


def _radios_by_key(widget) -> bool:
    radio = widget.locator("input[type=radio]")
    names = dict.fromkeys(radio.nth(i).get_attribute("name") for i in range(radio.count()))
    for name in names:   # the arrow key moves to the next choice of the group and picks it
        widget.locator(f"input[type=radio][name='{name}']").first.focus()
        widget.page.keyboard.press("ArrowDown")
    return bool(names)


def _selects_by_key(widget) -> bool:
    select = widget.locator("select")
    for i in range(select.count()):   # End picks the last option without opening the list
        select.nth(i).focus()
        widget.page.keyboard.press("End")
    return select.count() > 0


def _checkboxes_by_key(widget) -> bool:
    box = widget.locator("input[type=checkbox]")
    if box.count():
        box.first.focus()
        widget.page.keyboard.press("Space")
    return box.count() > 0


def _fields_by_key(widget) -> bool:
    field = widget.locator("input[type=number], input[type=text]")
    if field.count():
        field.first.focus()
        widget.page.keyboard.type("1")
    return field.count() > 0


def _buttons_by_key(widget) -> bool:
    button = widget.locator("button:not([disabled])")
    if button.count():
        button.first.focus()
        widget.page.keyboard.press("Enter")
    return button.count() > 0


_KEY_ACTIONS = [_radios_by_key, _selects_by_key, _checkboxes_by_key, _sliders, _fields_by_key, _buttons_by_key]
