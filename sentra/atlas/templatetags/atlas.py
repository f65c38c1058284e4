"""Atlas helpers for templates; the number filters come from sentra.lib.templatetags.fmt."""

from django import template
from django.utils.safestring import SafeString, mark_safe

from sentra.atlas.selectors.report import Cell, Section, bar_width
from sentra.lib.templatetags import fmt
from sentra.lib.templatetags.sentra_tags import escaped as escape

register = template.Library()


# The number filters are the shared ones (sentra.lib.formats), re-registered here so
# templates that load "atlas" keep their names.
for _name in ("num", "pct", "rate", "rupiah", "share_pct"):
    register.filter(_name, fmt.register.filters[_name])


@register.filter
def barw(value, maximum) -> str:
    """Width of a bar for value against maximum as a whole percent 0–100: the page
    writes it as the class w-<n> (static/css/bars.css), the CSP forbidding style=""."""
    return str(bar_width(value, maximum))


@register.filter
def get(mapping, key):
    return mapping.get(key) if mapping else None


@register.filter
def count_or_share(value) -> str:
    """A target that is either a number of IKM or a share."""
    if value is None:
        return "–"
    v = float(value)
    return fmt.share_pct(v) if 0 < v <= 1 else fmt.num(v)


@register.simple_tag
def inline_static_css(path: str) -> str:
    """A static CSS file's text, for PDFs (WeasyPrint fetches no URLs; no CSP there)."""
    from django.contrib.staticfiles import finders
    from django.utils.safestring import mark_safe

    found = finders.find(path)
    if not found:
        raise FileNotFoundError(path)
    with open(found, encoding="utf-8") as handle:
        return mark_safe(handle.read())  # our own file, never user input


def _cell(c: Cell) -> str:
    colspan = f' colspan="{c.colspan}"' if c.colspan > 1 else ""
    css = ""
    if c.numeric or c.css:
        num = "num" if c.numeric and c.bar is None else ""
        extra = f" {escape(c.css)}" if c.css else ""
        css = f' class="{num}{extra}"'
    testid = f' data-testid="{escape(c.testid)}"' if c.testid and not c.href else ""
    text = escape(c.text)
    if c.href:
        link_id = f' data-testid="{escape(c.testid)}"' if c.testid else ""
        text = f'<a href="{escape(c.href)}"{link_id}>{text}</a>'
    if c.indent:
        text = f"&nbsp;&nbsp;{text}"
    if c.bar is not None:
        text = (
            f'<div class="bar"><div class="track"><div class="fill w-{int(c.bar)}"></div></div>'
            f'<span class="val">{text}</span></div>'
        )
    return f"<td{colspan}{css}{testid}>{text}</td>"


@register.simple_tag
def section_rows(section: Section) -> SafeString:
    """A report table's <tr> lines, built in Python: a district profile has some 300
    cells of about ten template conditions each, most of the page's render time. The
    markup is the template's (`atlas/_profile_body.html` had it); every text is escaped."""
    rows = section.page_rows
    if not rows:
        return mark_safe(
            f'<tr class="empty"><td colspan="{len(section.columns)}">'
            f"{escape(str(section.empty))}</td></tr>"
        )
    return mark_safe("".join(f"<tr>{''.join(_cell(c) for c in row)}</tr>\n" for row in rows))
