"""An editors' report on how articles and terms.yaml fit together."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field

from ..core.compiled import CompiledGlossary
from ..core.model import Glossary, Term
from ..core.normalize import fold_mapped, normalize_key
from ..core.variants import DEPRECATED, region_matches, variant_of
from ..render import annotate_markdown

SHADOW_HELP = (
    "A spelling S of term A shadows term B when a mention of B can go unannotated because a match of S "
    "overlaps it from the left: the end of S is the beginning of a spelling of B (neither contains the other). "
    "Matching takes the leftmost match first and then the longest, so in the example text S wins and B "
    "is not found (中美贸易 + 贸易战: 中美贸易战 reads as 中美贸易 + 战). "
    "A spelling inside a longer one (稀土 in 稀土永磁体) is not a shadow: there the longest match wins by design."
)


@dataclass(frozen=True)
class BoldPhrase:
    """A bolded phrase that is not a term: how often, and in which articles."""

    phrase: str
    count: int
    articles: tuple[str, ...]


@dataclass(frozen=True)
class UnusedTerm:
    """A term that no article mentions."""

    id: str
    term: str


@dataclass(frozen=True)
class Unbolded:
    """A term an article mentions only in plain text, never bolded."""

    article: str
    id: str
    term: str  # the headword
    count: int
    written: tuple[str, ...] = ()  # the spellings in the article, most used first

    def spellings(self) -> str:
        """Return how the article writes the term, e.g. "实体名单" or "实体名单、實體清單"."""
        return "、".join(self.written or (self.term,))


@dataclass(frozen=True)
class Shadow:
    """A spelling whose match hides another term's mention (see SHADOW_HELP)."""

    spelling: str
    id: str
    kind: str  # "alias" or "term" (the headword)
    hides: str
    hidden_id: str
    example: str
    reads_as: tuple[str, ...]  # the example split where the matches begin and end
    articles: tuple[str, ...] = ()
    written: tuple[str, ...] = ()  # the example as the articles write it, where that differs


@dataclass(frozen=True)
class VariantUse:
    """An article's use of a deprecated form, or (strict) of a form listed for other regions than the article's."""

    article: str
    line: int
    written: str  # as the article writes it
    id: str
    use: str  # the preferred headword
    kind: str  # "deprecated" or "regional"
    regions: tuple[str, ...] = ()

    def __str__(self) -> str:
        what = "deprecated" if self.kind == DEPRECATED else f"regional ({', '.join(self.regions)})"
        return f"{self.article}:{self.line}: {self.written} is {what}: use {self.use}"


@dataclass
class LintReport:
    """Everything `lint` found; false when there is nothing to report.

    Warnings (`warnings()`, what `--strict` fails on) are the findings an
    editor fixes: bold phrases that are not terms, uses of deprecated (and,
    strict, regional) forms, and shadows not accepted in `lint.ignore`.
    Unused terms and mentions never bolded are listed as information.
    """

    undefined: list[BoldPhrase] = field(default_factory=list)
    unused: list[UnusedTerm] = field(default_factory=list)
    unbolded: list[Unbolded] = field(default_factory=list)
    shadows: list[Shadow] = field(default_factory=list)
    variants: list[VariantUse] = field(default_factory=list)
    articles: int = 0
    ignored: int = 0  # shadows accepted by lint.ignore

    def __bool__(self) -> bool:
        return bool(self.undefined or self.unused or self.unbolded or self.shadows or self.variants)

    def warnings(self) -> int:
        """Return how many findings are warnings (see the class)."""
        return len(self.undefined) + len(self.variants) + len(self.shadows)

    def to_dict(self) -> dict:
        """Return the report as JSON-ready data."""
        return asdict(self)

    def summary(self) -> str:
        """Return one line counting the findings."""
        ignored = f" ({self.ignored} accepted in lint.ignore)" if self.ignored else ""
        return (f"{self.articles} article(s): {len(self.undefined)} bolded phrase(s) not in the glossary, "
                f"{len(self.variants)} use(s) of a deprecated or regional form, "
                f"{len(self.shadows)} shadowing spelling(s){ignored}; {self.warnings()} warning(s); "
                f"{len(self.unused)} unused term(s), {len(self.unbolded)} term(s) mentioned but never bolded")

    def lines(self) -> list[str]:
        """Describe the report as text, one section per kind of finding."""
        out: list[str] = [str(v) for v in self.variants]
        if self.undefined:
            out.append(f"Bolded phrases that are not terms ({len(self.undefined)}), most used first:")
            out.extend(f"  {p.phrase}  ×{p.count}  in {', '.join(p.articles)}" for p in self.undefined)
        if self.unused:
            out.append(f"Terms no article uses ({len(self.unused)}):")
            out.extend(f"  {t.id}  {t.term}" for t in self.unused)
        if self.unbolded:
            out.append(f"Terms an article mentions but never bolds ({len(self.unbolded)}):")
            # As the article writes it; the headword after the id when that differs.
            out.extend(f"  {u.article}: {u.spellings()} ({u.id}{'' if u.spellings() == u.term else ': ' + u.term})"
                       f" ×{u.count}" for u in self.unbolded)
        if self.shadows:
            out.append(f"Spellings that shadow another term ({len(self.shadows)}):")
            for s in self.shadows:
                seen = f"; written in {', '.join(s.articles)}" if s.articles else ""
                seen += f" as {'、'.join(s.written)}" if s.written else ""
                out.append(f"  {s.kind} '{s.spelling}' of {s.id} hides '{s.hides}' of {s.hidden_id}: "
                           f"'{s.example}' reads as {' + '.join(s.reads_as)}{seen}")
        out.append(self.summary())
        return out


def lint(glossary: Glossary | CompiledGlossary, articles: Iterable[tuple], progress: Callable | None = None, *,
         strict: bool = False, ignore: Iterable[tuple[str, str]] = ()) -> LintReport:
    """Report how the articles use the glossary.

    Args:
        glossary: The terms (a Glossary is compiled once for the report).
        articles: (name, Markdown body) of each article, or (name, body,
            line of the body's first line in its file, language); names
            appear in the report.
        progress: Wraps the articles while they are read (a progress bar).
        strict: Also report forms listed for other regions than an article's.
        ignore: Shadow pairs (spelling, hidden spelling) the editors accepted
            (terms.yaml's lint.ignore); compared folded.

    Returns:
        Uses of deprecated (strict: regional) forms with their lines, bolded
        phrases that are not terms (most bolded first), terms no article
        mentions, terms an article mentions only in plain text, and
        spellings that shadow another term (see SHADOW_HELP).
    """
    compiled = CompiledGlossary.of(glossary)
    glossary = compiled.glossary
    report = LintReport()
    phrases: dict[str, str] = {}
    phrase_counts: Counter[str] = Counter()
    phrase_articles: dict[str, list[str]] = {}
    used: set[str] = set()
    texts: list[tuple[str, str]] = []
    articles = list(articles)
    for item in progress(articles) if progress else articles:
        name, body, first_line, lang = (*item, 1, None)[:4] if len(item) == 2 else item
        report.articles += 1
        # Every mention, unlimited: the report counts them all.
        result = annotate_markdown(body, compiled, mode="all", max_links=0)
        report.variants.extend(_variant_uses(glossary, name, body, first_line, lang, result.occurrences, strict))
        bolded, plain, written = _tally(result.occurrences)
        counts = Counter(normalize_key(p.text) for p in result.bold_phrases)
        for text in result.undefined:
            key = normalize_key(text)
            phrases.setdefault(key, text)
            phrase_counts[key] += counts[key]
            phrase_articles.setdefault(key, []).append(name)
        used.update(bolded, plain)
        for term_id in plain:
            if term_id not in bolded:
                term = glossary.by_id[term_id]
                spellings = tuple(w for w, _ in written[term_id].most_common())
                report.unbolded.append(Unbolded(name, term_id, term.term, plain[term_id], spellings))
        texts.append((name, body))
    report.undefined = sorted(
        (BoldPhrase(phrases[k], phrase_counts[k], tuple(phrase_articles[k])) for k in phrases),
        key=lambda p: (-p.count, -len(p.articles), p.phrase),
    )
    report.unused = [UnusedTerm(t.id, t.term) for t in glossary if t.id not in used]
    accepted = {(normalize_key(a), normalize_key(b)) for a, b in ignore}
    shadows = find_shadows(compiled, texts)
    report.shadows = [s for s in shadows if (normalize_key(s.spelling), normalize_key(s.hides)) not in accepted]
    report.ignored = len(shadows) - len(report.shadows)
    return report


def _variant_uses(glossary: Glossary, name: str, body: str, first_line: int, lang: str | None, occurrences,
                  strict: bool) -> list[VariantUse]:
    """Return the article's uses of deprecated forms (strict: and of regional forms not of its language)."""
    found = []
    lines = _SourceLines(body, first_line)
    for occurrence in occurrences:
        term = glossary.by_id.get(occurrence.term_id)
        if term is None or not term.variants:
            continue
        variant = variant_of(term, occurrence.text)
        if variant is None:
            continue
        if variant.status == DEPRECATED:
            kind = DEPRECATED
        elif strict and variant.regions and not any(region_matches(r, lang) for r in variant.regions):
            kind = "regional"
        else:
            continue
        found.append(VariantUse(name, lines.line_of(occurrence.text, occurrence.position), occurrence.text,
                                term.id, term.term, kind, variant.regions))
    return found


class _SourceLines:
    """Find the line of the article's source where a mention is written.

    An occurrence's position is in the rendered text, not in the Markdown.
    Rendering only takes characters away before any point (markers, link
    targets, indentation; block breaks stay), so a mention is written at or
    after its rendered position in the source: the spelling is searched from
    there, and after the last place found for the same spelling, so that
    repeated mentions take successive places. A spelling split by markup
    (an escape inside it) falls back to its first place, else to the
    rendered position.
    """

    def __init__(self, body: str, first_line: int):
        self.body = body
        self.first_line = first_line
        self.last: dict[str, int] = {}

    def line_of(self, written: str, position: int) -> int:
        body = self.body
        at = body.find(written, max(position, self.last.get(written, -1) + 1))
        if at < 0:
            at = body.find(written, self.last.get(written, -1) + 1)
        if at < 0:
            at = max(body.find(written), 0) or min(position, len(body))
        else:
            self.last[written] = at
        return self.first_line + body.count("\n", 0, at)


def find_shadows(glossary: Glossary | CompiledGlossary, texts: Iterable[tuple[str, str]] = ()) -> list[Shadow]:
    """List the spellings that shadow another term (see SHADOW_HELP).

    Args:
        glossary: The terms; their matcher decides what hides what (a
            Glossary is compiled for the call).
        texts: (name, text) of articles, to note which ones write each example.

    Returns:
        One Shadow per (spelling, hidden spelling) pair, in glossary order;
        each names the articles whose text contains its example.
    """
    compiled = CompiledGlossary.of(glossary)
    spellings: dict[str, tuple[str, Term, str]] = {}
    for term in compiled.glossary:
        for index, spelling in enumerate(term.spellings):
            key = normalize_key(spelling)
            if key and compiled.by_key.get(key) is term:
                spellings.setdefault(key, (spelling, term, "term" if index == 0 else "alias"))
    # Every proper prefix of every key, to the keys that start with it.
    starting: dict[str, list[str]] = {}
    for key in spellings:
        for end in range(1, len(key)):
            starting.setdefault(key[:end], []).append(key)
    matcher = compiled.matcher
    texts = [(name, text, normalize_key(text)) for name, text in texts]
    shadows = []
    for key, (spelling, term, kind) in spellings.items():
        for start in range(1, len(key)):
            for other in starting.get(key[start:], ()):
                hidden_spelling, hidden, _ = spellings[other]
                if hidden is term:
                    continue
                example = _example(spelling, key, hidden_spelling, other, len(key) - start)
                folded, offsets = matcher.fold(example)
                found = matcher.find(folded)
                if not found or found[0][2] is not term or any(t is hidden for _, _, t in found):
                    continue  # a longer key or a word boundary decides otherwise
                if offsets is not None:
                    found = [(offsets[s], offsets[e], t) for s, e, t in found]
                key_of_example = normalize_key(example)
                writing = [(name, text) for name, text, key in texts if key_of_example in key]
                spelt = dict.fromkeys(w for _, text in writing for w in _written_as(text, key_of_example))
                shadows.append(Shadow(
                    spelling=spelling, id=term.id, kind=kind, hides=hidden_spelling, hidden_id=hidden.id,
                    example=example, reads_as=_segments(example, found),
                    articles=tuple(name for name, _ in writing),
                    written=tuple(w for w in spelt if w != example),
                ))
    return shadows


def _written_as(text: str, key: str) -> list[str]:
    """Return the passages of `text` whose match key is `key`, as the text writes them."""
    folded, offsets = fold_mapped(text)
    found, start = [], folded.find(key)
    while start >= 0:
        end = start + len(key)
        passage = text[offsets[start]:offsets[end]] if offsets is not None else text[start:end]
        if normalize_key(passage) == key:  # not so where a character folds into several
            found.append(passage)
        start = folded.find(key, end)
    return found


def _example(spelling: str, key: str, hidden_spelling: str, hidden_key: str, overlap: int) -> str:
    """Return the text where `spelling` runs into `hidden_spelling`, written as the editor spells them."""
    if len(spelling) == len(key) and len(hidden_spelling) == len(hidden_key):
        return spelling + hidden_spelling[overlap:]
    return key + hidden_key[overlap:]  # folding changed a length: the folded keys are the safe spelling


def _segments(text: str, found) -> tuple[str, ...]:
    """Split `text` at the edges of the matches: how the annotator reads it."""
    cuts = sorted({0, len(text), *(i for s, e, _ in found for i in (s, e))})
    return tuple(text[a:b] for a, b in zip(cuts, cuts[1:], strict=False) if text[a:b].strip())


def _tally(occurrences) -> tuple[Counter, Counter, dict[str, Counter]]:
    """Count bolded and plain mentions per term, and each term's plain mentions by spelling, as written."""
    bolded: Counter[str] = Counter()
    plain: Counter[str] = Counter()
    written: dict[str, Counter] = {}
    for occurrence in occurrences:
        if occurrence.bold:
            bolded[occurrence.term_id] += 1
        else:
            plain[occurrence.term_id] += 1
            written.setdefault(occurrence.term_id, Counter())[occurrence.text] += 1
    return bolded, plain, written
