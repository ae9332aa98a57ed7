"""The form engine: declarative multi-step flows whose state lives in the database.

A form is a list of steps; each step has a prompt, optional options, a parser and an optional
`when`. Invalid answers re-ask with the reason and lose nothing; "quay lại" goes back; /huy
keeps a draft; a summary lets the user edit any answer by its number before submitting.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Awaitable, Callable, Hashable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, TypeVar

from sqlalchemy.ext.asyncio import AsyncConnection

from core.context import Ctx
from core.messages import Option, Outbound, StepAnswer, read_choice, step_option
from core.parsing import ParseError, is_none_answer, is_number, is_skip_answer, match_choice
from domain.clock import fmt_date, fmt_datetime
from domain.words import normalize
from storage import conversations
from storage.conversations import Conversation
from texts import common as tc
from texts import forms as t

SUMMARY = "__summary__"
# The answer a «Giữ nguyên» button carries: keep the step's previous answer.
KEEP_ANSWER = "keep"
RESUME = "__resume__"
DEFAULT_MAX_LENGTH = 4000
# Separates a repeating step's key from the item's index in the id of the question asked ("reasons#2").
ITEM_SEPARATOR = "#"

T = TypeVar("T")


@dataclass(frozen=True)
class Item:
    """The item a repeating step asks about: its value, its place (from 0) and how many there are."""

    value: Any
    index: int
    count: int


@dataclass
class FormCtx:
    """What a step's callables see: the update context, the flow's parameters, the draft, the item."""

    ctx: Ctx
    params: dict[str, Any]
    draft: dict[str, Any]
    repeat: Item | None = None
    # The part of this question's answer kept from a message that was read only in part.
    partial: Any = None

    @property
    def item(self) -> Item:
        """Return the item a repeating step asks about; only that step's callables ask for it."""
        if self.repeat is None:
            raise LookupError("an item was asked for outside a repeating step")
        return self.repeat

    async def once(self, key: Hashable, compute: Callable[[], Awaitable[T]]) -> T:
        """Return what `compute` gives, computed once per update however many callables ask."""
        memo = self.ctx.memo
        if key not in memo:
            memo[key] = await compute()
        result: T = memo[key]
        return result


@dataclass
class FormState:
    """A flow's progress: its parameters, the answers so far, the order they came in, and when."""

    params: dict[str, Any]
    draft: dict[str, Any] = field(default_factory=dict)
    history: list[str] = field(default_factory=list)
    saved_at: datetime | None = None
    # At the RESUME question: the draft on offer; `draft` then holds what a fresh start begins from.
    saved: SavedDraft | None = None
    # Parts of answers read only in part, by question id, until the question is answered in full.
    partial: dict[str, Any] = field(default_factory=dict)
    # A digest of what each question numbered when it was last shown in full, by question id: kept
    # after the answer, since going back asks again in short, against the list shown then.
    listed: dict[str, str] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        """Return the state as the JSON the conversations and drafts tables keep."""
        data: dict[str, Any] = {
            "params": self.params,
            "draft": self.draft,
            "history": self.history,
            "saved_at": self.saved_at.isoformat() if self.saved_at else None,
        }
        if self.partial:
            data["partial"] = self.partial
        if self.listed:
            data["listed"] = self.listed
        if self.saved is not None:
            data["saved_step"] = self.saved.step
            data["saved"] = self.saved.state.to_json()
        return data

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> FormState:
        """Read a state back from its stored JSON."""
        saved_at = data.get("saved_at")
        saved = data.get("saved")
        return cls(
            params=dict(data.get("params") or {}),
            draft=dict(data.get("draft") or {}),
            history=list(data.get("history") or []),
            saved_at=datetime.fromisoformat(saved_at) if saved_at else None,
            saved=SavedDraft(data["saved_step"], cls.from_json(saved)) if saved is not None else None,
            partial=dict(data.get("partial") or {}),
            listed=dict(data.get("listed") or {}),
        )


@dataclass(frozen=True)
class SavedDraft:
    """A flow put aside for later: the question it stopped at and its state."""

    step: str
    state: FormState


@dataclass(frozen=True)
class Answers:
    """A parsed answer that also answers other steps, or takes back answers it made wrong."""

    value: Any
    others: Mapping[str, Any] = field(default_factory=dict)
    forget: tuple[str, ...] = ()


class PartialAnswer(ParseError):
    """Raised by a parser that read part of an answer: `value` is kept, the rest asked with `reason`.

    The next answer to the same question sees the kept part as `FormCtx.partial`.
    """

    def __init__(self, value: Any, reason: str) -> None:
        super().__init__(reason)
        self.value = value


class FormError(Exception):
    """Raised by a submit to send the user back to one step with a reason."""

    def __init__(self, step: str, reason: str) -> None:
        super().__init__(reason)
        self.step = step
        self.reason = reason


Prompt = Callable[[FormCtx], Awaitable[str]]
Parser = Callable[[FormCtx, str], Awaitable[Any]]
OptionsOf = Callable[[FormCtx], Awaitable[Sequence[Option]]]
Predicate = Callable[[FormCtx], Awaitable[bool]]
Shower = Callable[[FormCtx, Any], Awaitable[str]]
Expander = Callable[[FormCtx, Any], Awaitable["Answers"]]
ItemsOf = Callable[[FormCtx], Awaitable[Sequence[Any]]]


@dataclass(frozen=True)
class Step:
    """One question of a form; with `each`, one question per item, its answer the list of answers."""

    key: str
    label: str
    prompt: str | Prompt
    parse: Parser | None = None
    options: Sequence[Option] | OptionsOf | None = None
    when: Predicate | None = None
    show: Shower | None = None
    optional: bool = False
    depends_on: tuple[str, ...] = ()
    max_length: int = DEFAULT_MAX_LENGTH
    each: ItemsOf | None = None
    # A short question for asking again, when the first one carries a long list (a roster).
    reprompt: str | Prompt | None = None
    # Turns a chosen option into answers to other steps too («Như tháng trước»).
    expand: Expander | None = None
    # What the question's text numbers (a roster, in its order): an answer that comes after that
    # list changed is asked again with the new list, never read against a list nobody saw.
    listed: ItemsOf | None = None


async def parse_words(fctx: FormCtx, text: str) -> str:
    """Accept free text that says something in letters or digits."""
    if not any(ch.isalnum() for ch in text):
        raise ParseError(t.TEXT_NEEDS_WORDS)
    return text


def required_words(refusal: str) -> Parser:
    """Return a parser for a required free-text answer that refuses «không» with `refusal`."""

    async def parse(fctx: FormCtx, text: str) -> str:
        """Accept the text unless it says there is nothing."""
        if is_none_answer(text):
            raise ParseError(refusal)
        return await parse_words(fctx, text)

    return parse


async def show_date(fctx: FormCtx, value: str) -> str:
    """Show an answer kept as an ISO date as dd/mm/yyyy."""
    return fmt_date(date.fromisoformat(value))


def without_param(key: str) -> Predicate:
    """Return a `when` that asks a step only when the flow was not started with that parameter."""

    async def when(fctx: FormCtx) -> bool:
        """Ask unless the parameter is given."""
        return key not in fctx.params

    return when


@dataclass(frozen=True)
class Form:
    """A flow: its steps and what happens on submit."""

    name: str
    title: str
    command: str | None
    steps: tuple[Step, ...]
    submit: Callable[[FormCtx], Awaitable[list[Outbound]]]
    confirm: bool = True
    keep_drafts: bool = True
    intro: Prompt | None = None

    def step(self, key: str) -> Step:
        """Return the step with that key."""
        return next(s for s in self.steps if s.key == key)


@dataclass(frozen=True)
class _Slot:
    """One question as asked: a step, and for a repeating step the item it asks about."""

    step: Step
    item: Item | None = None

    @property
    def id(self) -> str:
        """Return the question's id, kept as the conversation's step: the key, with the item's index."""
        return self.step.key if self.item is None else f"{self.step.key}{ITEM_SEPARATOR}{self.item.index}"


@dataclass
class FormEngine:
    """Runs forms for chats, keeping their state in the conversations table."""

    forms: dict[str, Form] = field(default_factory=dict)

    def register(self, form: Form) -> None:
        """Make a form available by its name."""
        self.forms[form.name] = form

    def title(self, conversation: Conversation) -> str:
        """Return the title of the flow a conversation is in."""
        return self.forms[conversation.flow].title

    def untouched(self, conversation: Conversation) -> bool:
        """Tell whether nothing has been answered in a flow yet, so leaving it loses nothing."""
        state = FormState.from_json(conversation.state)
        # A draft on offer at RESUME stays in the drafts table; leaving the question keeps it.
        return not state.history and not state.partial

    async def saved_draft(self, conn: AsyncConnection, person_id: int, name: str) -> SavedDraft | None:
        """Return the draft of a form a person put aside, if any."""
        saved = await conversations.load_draft(conn, person_id, name)
        return None if saved is None else SavedDraft(saved.step, FormState.from_json(saved.state))

    async def start(
        self, ctx: Ctx, name: str, params: dict[str, Any] | None = None, answers: dict[str, Any] | None = None
    ) -> list[Outbound]:
        """Start a form for this chat, offering to continue a saved draft first.

        `answers` fills steps in advance (amending a filed report starts from what it says).
        """
        form = self.forms[name]
        params = params or {}
        answers = answers or {}
        if form.keep_drafts and ctx.identity is not None:
            saved = await self.saved_draft(ctx.conn, ctx.identity.person_id, name)
            if saved is not None and saved.state.params == params:
                await self._save(ctx, form, RESUME, FormState(params, dict(answers), saved=saved))
                return [self._resume_question(form, saved)]
        state = FormState(params, dict(answers))
        out = [Outbound(t.form_started(form.title))] if form.confirm else []
        if form.intro is not None:
            out.append(Outbound(await form.intro(FormCtx(ctx, params, {}))))
        return out + await self._advance(ctx, form, state)

    async def answer(self, ctx: Ctx, conversation: Conversation) -> list[Outbound]:
        """Handle the user's message as the answer to the current step."""
        form = self.forms[conversation.flow]
        state = FormState.from_json(conversation.state)
        if conversation.step == RESUME:
            return await self._answer_resume(ctx, form, state)
        if conversation.step == SUMMARY:
            return await self._answer_summary(ctx, form, state)
        slot = await self._slot(ctx, form, state, conversation.step)
        if slot is None:
            return await self._advance(ctx, form, state)
        return await self._answer_step(ctx, form, state, slot)

    async def reprompt(self, ctx: Ctx, conversation: Conversation, lead: str | None = None) -> list[Outbound]:
        """Ask the current question again, after a command from outside the flow."""
        form = self.forms[conversation.flow]
        state = FormState.from_json(conversation.state)
        return await self._reprompt(ctx, form, conversation.step, state, lead)

    async def cancel(self, ctx: Ctx, conversation: Conversation) -> list[Outbound]:
        """Stop the flow, keeping what was typed as a draft when the form keeps drafts."""
        form = self.forms[conversation.flow]
        await conversations.clear(ctx.conn, ctx.inbound.channel, ctx.inbound.chat_id)
        keeps = form.keep_drafts and ctx.identity is not None and conversation.step != RESUME
        if keeps and FormState.from_json(conversation.state).draft:
            await conversations.save_draft(ctx.conn, ctx.me.person_id, conversation, ctx.now)
            return [Outbound(t.cancelled(form.title, f"/{form.command}" if form.command else None))]
        return [Outbound(t.cancelled(form.title, None))]

    async def _reprompt(
        self, ctx: Ctx, form: Form, step_id: str, state: FormState, lead: str | None
    ) -> list[Outbound]:
        """Ask a flow's current question again, led by why it comes back."""
        lead = lead or t.resume_after_command(form.title)
        if step_id == RESUME:
            if state.saved is None:
                return await self._advance(ctx, form, state)
            return [self._resume_question(form, state.saved, lead)]
        if step_id == SUMMARY:
            return [await self._summary(ctx, form, state, lead)]
        slot = await self._slot(ctx, form, state, step_id)
        if slot is None:
            return await self._advance(ctx, form, state)
        return [await self._prompt(ctx, form, state, slot, lead, again=True)]

    async def _answer_resume(self, ctx: Ctx, form: Form, state: FormState) -> list[Outbound]:
        """Continue the saved draft or start afresh."""
        saved = state.saved
        if saved is None:
            return await self._advance(ctx, form, FormState(state.params, state.draft))
        try:
            index = self._choice_index(ctx, form, RESUME, [t.CONTINUE_DRAFT, t.START_OVER])
        except ParseError as error:
            return [self._resume_question(form, saved, t.invalid(error.reason))]
        await conversations.delete_draft(ctx.conn, ctx.me.person_id, form.name)
        if index == 0:
            await self._save(ctx, form, saved.step, saved.state)
            return await self._reprompt(
                ctx, form, saved.step, saved.state, t.resume_after_command(form.title)
            )
        return await self._advance(ctx, form, FormState(state.params, dict(state.draft)))

    async def _answer_summary(self, ctx: Ctx, form: Form, state: FormState) -> list[Outbound]:
        """Submit, keep as draft, or open one answer for editing."""
        visible = await self._slots(ctx, form, state)
        text = normalize(ctx.inbound.text or "")
        choice = self._button(ctx, form, SUMMARY)
        if choice == "submit" or text in t.SUBMIT_WORDS:
            return await self._submit(ctx, form, state)
        if choice == "draft" or text in t.SAVE_DRAFT_WORDS:
            await conversations.clear(ctx.conn, ctx.inbound.channel, ctx.inbound.chat_id)
            await conversations.save_draft(
                ctx.conn, ctx.me.person_id, Conversation(form.name, SUMMARY, state.to_json()), ctx.now
            )
            return [Outbound(t.draft_saved(form.title, f"/{form.command}"))]
        for prefix in t.EDIT_PREFIXES:
            text = text.removeprefix(prefix)
        if is_number(text) and 1 <= int(text) <= len(visible):
            return [await self._ask(ctx, form, state, visible[int(text) - 1])]
        return [await self._summary(ctx, form, state, t.summary_not_understood(len(visible)))]

    async def _answer_step(self, ctx: Ctx, form: Form, state: FormState, slot: _Slot) -> list[Outbound]:
        """Parse an answer to a step, re-asking with the reason when it is not valid."""
        text = (ctx.inbound.text or "").strip()
        if normalize(text) in t.BACK_WORDS and ctx.inbound.choice is None:
            return await self._back(ctx, form, state, slot)
        shown = state.listed.get(slot.id)
        if shown is not None and shown != await self._listing(ctx, form, state, slot):
            # Numbers kept from a part read earlier point into the old list as well.
            state.partial.pop(slot.id, None)
            return [await self._ask(ctx, form, state, slot, t.list_changed())]
        previous = _value(state, slot)
        if await self._keeps(ctx, form, state, slot, text):
            if previous is _UNSET:
                return [await self._prompt(ctx, form, state, slot, t.invalid(t.nothing_to_keep()))]
            state.history = [k for k in state.history if k != slot.id] + [slot.id]
            return await self._advance(ctx, form, state)
        if slot.step.reprompt is not None and normalize(text) in t.SHOW_AGAIN_WORDS:
            return [await self._prompt(ctx, form, state, slot)]
        try:
            value = await self._parse(ctx, form, state, slot, text)
        except PartialAnswer as error:
            state.partial[slot.id] = error.value
            return [await self._ask(ctx, form, state, slot, error.reason, again=True)]
        except ParseError as error:
            return [await self._prompt(ctx, form, state, slot, t.invalid(error.reason), again=True)]
        except _StaleButton:
            return [await self._prompt(ctx, form, state, slot, t.stale_button(), again=True)]
        state.partial.pop(slot.id, None)
        if slot.step.expand is not None and not isinstance(value, Answers):
            value = await slot.step.expand(FormCtx(ctx, state.params, state.draft, slot.item), value)
        if isinstance(value, Answers):
            for key in value.forget:
                state.draft.pop(key, None)
            state.draft.update(value.others)
            value = value.value
        _set_value(state, slot, value)
        if previous != value:
            self._clear_dependents(form, state, slot.step.key)
        state.history = [k for k in state.history if k != slot.id] + [slot.id]
        return await self._advance(ctx, form, state)

    async def _keeps(self, ctx: Ctx, form: Form, state: FormState, slot: _Slot, text: str) -> bool:
        """Tell whether the answer asks to keep the previous one: its button, its words or its number."""
        if ctx.inbound.choice is not None:
            return self._button(ctx, form, slot.id) == KEEP_ANSWER
        if normalize(text).rstrip(" .!") in t.KEEP_WORDS:
            return True
        options = await self._options(ctx, form, state, slot)
        # Text channels list «Giữ nguyên» after a step's own options, numbered on from them.
        shown = options and _value(state, slot) is not _UNSET
        return bool(shown) and is_number(normalize(text)) and int(normalize(text)) == len(options) + 1

    async def _parse(self, ctx: Ctx, form: Form, state: FormState, slot: _Slot, text: str) -> Any:
        """Turn the user's message into the step's value."""
        step = slot.step
        fctx = FormCtx(ctx, state.params, state.draft, slot.item, state.partial.get(slot.id))
        options = await self._options(ctx, form, state, slot)
        if ctx.inbound.choice is not None:
            button = self._button(ctx, form, slot.id)
            if button is None or not is_number(button) or int(button) >= len(options):
                raise _StaleButton
            return options[int(button)].value
        if step.optional and is_skip_answer(text):
            return None
        if not text and ctx.inbound.attachment is not None and step.parse is not None and not options:
            # A file or photo with no caption is the answer itself; the step's parser reads it.
            return await step.parse(fctx, text)
        if not text:
            raise ParseError(t.empty_answer())
        if len(text) > step.max_length:
            raise ParseError(t.too_long(step.max_length))
        if options and step.parse is None:
            return options[match_choice(text, [o.label for o in options])].value
        if options:
            try:
                return options[match_choice(text, [o.label for o in options])].value
            except ParseError:
                pass
        if step.parse is None:
            return text
        return await step.parse(fctx, text)

    def _button(self, ctx: Ctx, form: Form, step_id: str) -> str | None:
        """Return the value of a pressed button that belongs to this step, if any."""
        choice = read_choice(ctx.inbound.choice)
        if isinstance(choice, StepAnswer) and (choice.form, choice.step) == (form.name, step_id):
            return choice.answer
        return None

    def _choice_index(self, ctx: Ctx, form: Form, step_key: str, labels: list[str]) -> int:
        """Return the index chosen by button or typed answer among fixed labels."""
        button = self._button(ctx, form, step_key)
        if button is not None:
            # Callback data comes from the client and can be forged.
            if not is_number(button) or int(button) >= len(labels):
                raise ParseError(t.stale_button())
            return int(button)
        return match_choice(ctx.inbound.text or "", labels)

    async def _back(self, ctx: Ctx, form: Form, state: FormState, slot: _Slot) -> list[Outbound]:
        """Return to the previous answered step."""
        history = [k for k in state.history if k != slot.id]
        state.partial.pop(slot.id, None)
        previous = await self._slot(ctx, form, state, history[-1]) if history else None
        if previous is None:
            return [await self._prompt(ctx, form, state, slot, again=True)]
        state.history = history[:-1]
        return [await self._ask(ctx, form, state, previous, again=True)]

    def _clear_dependents(self, form: Form, state: FormState, key: str) -> None:
        """Forget answers that depended on a changed answer, so they are asked again."""
        changed = {key}
        for step in form.steps:
            if changed.intersection(step.depends_on) and step.key in state.draft:
                del state.draft[step.key]
                changed.add(step.key)

    async def _slot(self, ctx: Ctx, form: Form, state: FormState, step_id: str) -> _Slot | None:
        """Return the question an id names, or None when its item is gone from the list."""
        key, repeated, index = step_id.partition(ITEM_SEPARATOR)
        step = form.step(key)
        if not repeated or step.each is None:
            return _Slot(step)
        items = await step.each(FormCtx(ctx, state.params, state.draft))
        number = int(index)
        return _Slot(step, Item(items[number], number, len(items))) if number < len(items) else None

    async def _slots(self, ctx: Ctx, form: Form, state: FormState) -> list[_Slot]:
        """Return the questions that apply to this draft, in order: one per item of a repeating step."""
        fctx = FormCtx(ctx, state.params, state.draft)
        slots = []
        for step in form.steps:
            if step.when is not None and not await step.when(fctx):
                continue
            if step.each is None:
                slots.append(_Slot(step))
            else:
                items = await step.each(fctx)
                slots += [_Slot(step, Item(value, i, len(items))) for i, value in enumerate(items)]
        return slots

    async def _advance(self, ctx: Ctx, form: Form, state: FormState) -> list[Outbound]:
        """Move to the first unanswered step, or to the summary, or submit."""
        for slot in await self._slots(ctx, form, state):
            if _value(state, slot) is _UNSET:
                return [await self._ask(ctx, form, state, slot)]
        if form.confirm:
            await self._save(ctx, form, SUMMARY, state)
            return [await self._summary(ctx, form, state)]
        return await self._submit(ctx, form, state)

    async def _submit(self, ctx: Ctx, form: Form, state: FormState) -> list[Outbound]:
        """Run the form's submit; on a FormError go back to the step it names."""
        # Cleared first so that a submit may open the next flow (picking a report, then amending it).
        await conversations.clear(ctx.conn, ctx.inbound.channel, ctx.inbound.chat_id)
        # The role may have been taken away since the form was opened, or someone else may be here.
        command = ctx.commands.get(form.command) if form.command else None
        if command is not None and not command.allowed(ctx.identity.roles if ctx.identity else frozenset()):
            return [Outbound(tc.not_allowed())]
        try:
            result = await form.submit(FormCtx(ctx, state.params, state.draft))
        except FormError as error:
            return [await self._ask(ctx, form, state, _Slot(form.step(error.step)), t.invalid(error.reason))]
        if form.keep_drafts and ctx.identity is not None:
            await conversations.delete_draft(ctx.conn, ctx.identity.person_id, form.name)
        return result

    async def _options(self, ctx: Ctx, form: Form, state: FormState, slot: _Slot) -> list[Option]:
        """Return a question's options for this draft, computed once per update while the draft holds."""
        options = slot.step.options
        if options is None:
            return []
        if not callable(options):
            return list(options)
        compute = options
        fctx = FormCtx(ctx, state.params, state.draft, slot.item)
        answers = json.dumps([state.params, state.draft], sort_keys=True, default=str)
        return await fctx.once(("form options", form.name, slot.id, answers), lambda: _listed(compute(fctx)))

    async def _ask(
        self,
        ctx: Ctx,
        form: Form,
        state: FormState,
        slot: _Slot,
        lead: str | None = None,
        *,
        again: bool = False,
    ) -> Outbound:
        """Make a question the chat's current one and render it, keeping what it numbers."""
        question = await self._prompt(ctx, form, state, slot, lead, again=again)
        await self._save(ctx, form, slot.id, state)
        return question

    async def _listing(self, ctx: Ctx, form: Form, state: FormState, slot: _Slot) -> str | None:
        """Return a digest of what a question numbers (its list, its computed options), if it numbers any."""
        step = slot.step
        if step.listed is None and not callable(step.options):
            return None
        fctx = FormCtx(ctx, state.params, state.draft, slot.item)
        listed = list(await step.listed(fctx)) if step.listed is not None else []
        values = [o.value for o in await self._options(ctx, form, state, slot)]
        return hashlib.sha256(json.dumps([listed, values], default=str).encode()).hexdigest()[:16]

    async def _prompt(
        self,
        ctx: Ctx,
        form: Form,
        state: FormState,
        slot: _Slot,
        lead: str | None = None,
        *,
        again: bool = False,
    ) -> Outbound:
        """Render a step's question, with its options and the answer already given; `again` asks it short."""
        step = slot.step
        fctx = FormCtx(ctx, state.params, state.draft, slot.item)
        prompt = step.reprompt if again and step.reprompt is not None else step.prompt
        if prompt is step.prompt:
            # Only the full question shows its list: a short one leaves the last list shown the one read.
            listing = await self._listing(ctx, form, state, slot)
            if listing is None:
                state.listed.pop(slot.id, None)
            else:
                state.listed[slot.id] = listing
        question = prompt if isinstance(prompt, str) else await prompt(fctx)
        parts = [lead] if lead else []
        parts.append(question)
        value = _value(state, slot)
        if value is not _UNSET:
            parts.append(t.current_value(await self._show(ctx, form, state, slot, value)))
        if step.optional:
            parts.append(t.skip_hint())
        options = await self._options(ctx, form, state, slot)
        buttons = tuple(step_option(o.label, form.name, slot.id, i) for i, o in enumerate(options))
        if value is _UNSET:
            return Outbound("\n\n".join(parts), options=buttons)
        keep = step_option(t.KEEP, form.name, slot.id, KEEP_ANSWER)
        # Without options of its own, a number typed answers the step, so «Giữ nguyên» is not listed
        # as one: the text says to type it.
        return Outbound("\n\n".join(parts), options=(*buttons, keep), options_in_text=bool(buttons))

    async def _summary(self, ctx: Ctx, form: Form, state: FormState, lead: str | None = None) -> Outbound:
        """Render every answer numbered, with submit and save-draft choices."""
        visible = await self._slots(ctx, form, state)
        lines = []
        for n, slot in enumerate(visible, start=1):
            value = _value(state, slot)
            shown = await self._show(ctx, form, state, slot, None if value is _UNSET else value)
            lines.append(f"{n}. {slot.step.label}: {shown}")
        text = t.summary(form.title, lines, len(visible))
        options = (
            step_option(t.SUBMIT, form.name, SUMMARY, "submit"),
            step_option(t.SAVE_DRAFT, form.name, SUMMARY, "draft"),
        )
        # The summary text already says which words to type, so text channels show no option list.
        body = f"{lead}\n\n{text}" if lead else text
        return Outbound(body, options=options, numbered=False, options_in_text=False)

    async def _show(self, ctx: Ctx, form: Form, state: FormState, slot: _Slot, value: Any) -> str:
        """Render an answer for display."""
        if value is None:
            return t.no_value()
        if slot.step.show is not None:
            return await slot.step.show(FormCtx(ctx, state.params, state.draft, slot.item), value)
        for option in await self._options(ctx, form, state, slot):
            if option.value == value:
                return option.label
        return str(value)

    def _resume_question(self, form: Form, saved: SavedDraft, lead: str | None = None) -> Outbound:
        """Ask whether to continue a saved draft."""
        saved_at = saved.state.saved_at
        shown = fmt_datetime(saved_at) if saved_at else t.no_value()
        text = t.draft_found(form.title, shown)
        labels = (t.CONTINUE_DRAFT, t.START_OVER)
        options = tuple(step_option(label, form.name, RESUME, i) for i, label in enumerate(labels))
        return Outbound(f"{lead}\n\n{text}" if lead else text, options=options)

    async def _save(self, ctx: Ctx, form: Form, step_id: str, state: FormState) -> None:
        """Store the chat's conversation, stamping when it was last touched."""
        state.saved_at = ctx.now
        conversation = Conversation(form.name, step_id, state.to_json())
        await conversations.save(ctx.conn, ctx.inbound.channel, ctx.inbound.chat_id, conversation, ctx.now)


async def _listed(options: Awaitable[Sequence[Option]]) -> list[Option]:
    """Await a step's options as a list."""
    return list(await options)


def _value(state: FormState, slot: _Slot) -> Any:
    """Return the answer a question has in the draft, or _UNSET."""
    if slot.item is None:
        return state.draft.get(slot.step.key, _UNSET)
    answers = state.draft.get(slot.step.key) or []
    return answers[slot.item.index] if slot.item.index < len(answers) else _UNSET


def _set_value(state: FormState, slot: _Slot, value: Any) -> None:
    """Keep an answer in the draft: a repeating step's answers as a list, in the order of its items."""
    if slot.item is None:
        state.draft[slot.step.key] = value
        return
    answers = list(state.draft.get(slot.step.key) or [])
    if slot.item.index < len(answers):
        answers[slot.item.index] = value
    else:
        answers.append(value)
    state.draft[slot.step.key] = answers


class _StaleButton(Exception):
    """A button from another step was pressed."""


_UNSET = object()
