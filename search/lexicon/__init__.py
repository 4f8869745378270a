"""Word lists the analysis uses: Dutch–English equivalents (from FreeDict,
curated) and the parts Dutch compounds are split into."""

import re
from functools import cache
from pathlib import Path

HERE = Path(__file__).resolve().parent


def _lines(name: str) -> list[str]:
    text = (HERE / name).read_text(encoding="utf-8")
    return [
        line.strip()
        for line in text.splitlines()
        if line.strip() and not line.startswith("#")
    ]


_LONG_VOWEL = re.compile(r"(aa|ee|oo|uu)([^aeiou])$")
_SHORT_VOWEL_END = re.compile(r"[^aeiou][aeiou][bdfgklmnprst]$")


def dutch_plurals(word: str) -> set[str]:
    """Plural forms a Dutch noun may take (over-generating is harmless: forms that
    are not words never occur): verlof → verloven, aanvraag → aanvragen."""
    forms = {word + "s", word + "en"}
    if word.endswith("e"):
        forms |= {word + "n", word + "s"}
    if word.endswith("f"):
        forms.add(word[:-1] + "ven")
    if word.endswith("s"):
        forms.add(word[:-1] + "zen")
    long_vowel = _LONG_VOWEL.search(word)
    if long_vowel:
        vowel, consonant = long_vowel.groups()
        consonant = {"f": "v", "s": "z"}.get(consonant, consonant)
        forms.add(word[: long_vowel.start()] + vowel[0] + consonant + "en")
    if _SHORT_VOWEL_END.search(word):
        forms.add(word + word[-1] + "en")
    return forms


def english_plurals(word: str) -> set[str]:
    """Plural forms of an English noun (request → requests, policy → policies)."""
    if word.endswith("y") and word[-2:-1] not in set("aeiou"):
        return {word[:-1] + "ies"}
    if word.endswith(("s", "x", "ch", "sh")):
        return {word + "es"}
    return {word + "s"}


def _with_plurals(rule: str) -> str:
    dutch, *english = [term.strip() for term in rule.split(",")]
    terms = [dutch]
    if " " not in dutch:
        terms += sorted(dutch_plurals(dutch))
    for term in english:
        terms.append(term)
        if " " not in term:
            terms += sorted(english_plurals(term))
    return ", ".join(dict.fromkeys(terms))


@cache
def bilingual_synonyms() -> tuple[str, ...]:
    """Synonym rules (Solr format) joining Dutch and English words for the same
    thing, with their plural forms (synonyms match words as typed, before
    stemming), so a query in one language also finds documents in the other."""
    return tuple(_with_plurals(rule) for rule in _lines("nl_en.txt"))


@cache
def dutch_compound_parts() -> tuple[str, ...]:
    """Dutch words that compounds are split into (the Dutch side of the
    equivalents plus common parts), single words of four letters or more."""
    words = {rule.split(",")[0].strip() for rule in _lines("nl_en.txt")}
    words |= set(_lines("compound_parts_nl.txt"))
    return tuple(sorted(w for w in words if " " not in w and len(w) >= 4))


@cache
def _compound_vocabulary() -> tuple[frozenset[str], frozenset[str]]:
    """Compound parts, and what may end a compound (a part or its plural)."""
    parts = frozenset(dutch_compound_parts())
    return parts, parts | {form for part in parts for form in dutch_plurals(part)}


# What may join two parts of a Dutch compound: nothing, or a linking s, e or en
# (vakantie+dagen, verlof+s+aanvraag, boek+en+kast).
_LINKS = ("", "s", "e", "en")


def split_compound(word: str) -> list[str]:
    """The parts of a Dutch compound made wholly of known parts (laptopaanvraag
    → laptop, aanvraag; a part's plural may end it), or [] when ``word`` is not
    one: the query side of the decompounding the Dutch fields do at index time,
    so each part can also meet its English equivalent."""
    parts, endings = _compound_vocabulary()

    def split(rest: str, first: bool) -> list[str] | None:
        if not first and rest in endings:
            return [rest]
        for size in range(len(rest) - 4, 3, -1):
            head = rest[:size]
            if head not in parts:
                continue
            for link in _LINKS:
                tail = rest[size:]
                if link and not tail.startswith(link):
                    continue
                found = split(tail[len(link) :], first=False)
                if found:
                    return [head, *found]
        return None

    return split(word.lower(), first=True) or []
