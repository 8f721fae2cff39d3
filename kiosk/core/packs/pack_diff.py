"""What an update changes, for staff to read before they apply it: above all the phone numbers."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from kiosk.core.model import Contact, Content, Text


@dataclass(frozen=True)
class NumberChange:
    contact_id: str
    name: str  # the contact's name in the staff member's language
    old: str  # "" when the number is new
    new: str  # "" when the number is removed


@dataclass
class ContentDiff:
    old_version: str
    new_version: str
    slides_added: list[str] = field(default_factory=list)  # slide titles
    slides_removed: list[str] = field(default_factory=list)
    slides_changed: list[str] = field(default_factory=list)
    questions_added: int = 0
    questions_removed: int = 0
    questions_changed: int = 0
    quiz_changed: bool = False
    leaflet_changed: bool = False
    numbers: list[NumberChange] = field(default_factory=list)
    other_contact_changes: list[str] = field(default_factory=list)  # names whose details changed

    @property
    def empty(self) -> bool:
        return not (self.slides_added or self.slides_removed or self.slides_changed or self.quiz_changed
                    or self.leaflet_changed or self.numbers or self.other_contact_changes)


def _file_hash(path: Path | None) -> str:
    if path is None:
        return ""
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return "?"


def _texts(*texts: Text) -> tuple[tuple[tuple[str, str], ...], ...]:
    return tuple(tuple(sorted(t.values.items())) for t in texts)


def _number(contact: Contact) -> str:
    forms = [contact.local, contact.national or "", contact.international or ""]
    return " / ".join(dict.fromkeys(f for f in forms if f)) or contact.dial


def _changed_forms(old: Contact, new: Contact) -> tuple[str, str]:
    """Only the forms of the number that changed (the short one a villager knows, first)."""
    pairs = [(a or "", b or "") for a, b in ((old.local, new.local), (old.national, new.national),
                                             (old.international, new.international)) if a != b]
    if not pairs:
        pairs = [(old.dial, new.dial)]
    return (" / ".join(a for a, _ in pairs if a) or "–", " / ".join(b for _, b in pairs if b) or "–")


def diff_content(old: Content, new: Content, language: str) -> ContentDiff:
    diff = ContentDiff(old.version, new.version)
    old_slides = {s.id: s for s in old.slides}
    new_slides = {s.id: s for s in new.slides}
    for sid, slide in new_slides.items():
        old_slide = old_slides.get(sid)
        if old_slide is None:
            diff.slides_added.append(slide.title.get(language))
            continue
        before_slide = old_slide
        if (_texts(before_slide.title, before_slide.body) != _texts(slide.title, slide.body)
              or _file_hash(before_slide.picture) != _file_hash(slide.picture)
              or {k: _file_hash(v) for k, v in before_slide.narration.items()}
              != {k: _file_hash(v) for k, v in slide.narration.items()}):
            diff.slides_changed.append(slide.title.get(language))
    diff.slides_removed = [s.title.get(language) for sid, s in old_slides.items() if sid not in new_slides]
    if [s.id for s in old.slides if s.id in new_slides] != [s.id for s in new.slides if s.id in old_slides]:
        if not diff.slides_changed:
            diff.slides_changed.append("…")  # the same slides in another order

    def question_key(q: object) -> object:
        from kiosk.core.model import Question

        assert isinstance(q, Question)
        return (_texts(q.prompt, q.explanation, *(a.text for a in q.answers)),
                tuple(a.correct for a in q.answers), _file_hash(q.picture))

    old_q = {q.id: q for q in old.quiz.questions} if old.quiz else {}
    new_q = {q.id: q for q in new.quiz.questions} if new.quiz else {}
    diff.questions_added = len(set(new_q) - set(old_q))
    diff.questions_removed = len(set(old_q) - set(new_q))
    diff.questions_changed = sum(1 for k in set(old_q) & set(new_q) if question_key(old_q[k]) != question_key(new_q[k]))
    old_quiz_rest = (old.quiz.length, tuple((b.from_percent, _texts(b.message)) for b in old.quiz.bands)) if old.quiz else None
    new_quiz_rest = (new.quiz.length, tuple((b.from_percent, _texts(b.message)) for b in new.quiz.bands)) if new.quiz else None
    diff.quiz_changed = bool(diff.questions_added or diff.questions_removed or diff.questions_changed
                             or old_quiz_rest != new_quiz_rest)
    diff.leaflet_changed = _leaflet_key(old) != _leaflet_key(new)

    old_c = {c.id: c for c in old.contacts}
    new_c = {c.id: c for c in new.contacts}
    for cid, contact in new_c.items():
        was = old_c.get(cid)
        if was is None:
            diff.numbers.append(NumberChange(cid, contact.name.get(language), "", _number(contact)))
            continue
        before = was
        if (before.dial, _number(before)) != (contact.dial, _number(contact)):
            was_number, now_number = _changed_forms(before, contact)
            diff.numbers.append(NumberChange(cid, contact.name.get(language), was_number, now_number))
        elif (_texts(before.name, before.purpose), before.primary, before.status, before.verified_on,
              before.on_exit_screen) != (_texts(contact.name, contact.purpose), contact.primary, contact.status,
                                         contact.verified_on, contact.on_exit_screen):
            diff.other_contact_changes.append(contact.name.get(language))
    for cid, contact in old_c.items():
        if cid not in new_c:
            diff.numbers.append(NumberChange(cid, contact.name.get(language), _number(contact), ""))
    return diff


def _leaflet_key(content: Content) -> object:
    lf = content.leaflet
    if lf is None:
        return None
    return (_texts(lf.title, lf.intro, lf.signs_title, lf.about_title, lf.tab, *lf.signs, *(m.text for m in lf.messages)),
            tuple(_file_hash(m.picture) for m in lf.messages), lf.contacts)
