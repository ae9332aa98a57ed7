"""The form engine: declarative multi-step flows whose state lives in the database.

A form is a list of steps; each step has a prompt, optional options, a parser and an optional
`when`. Invalid answers re-ask with the reason and lose nothing; "quay lại" goes back; /huy
keeps a draft; a summary lets the user edit any answer by its number before submitting.
"""

from __future__ import annotations

import inspect
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from core.clock import fmt_datetime
from core.context import Ctx
from core.messages import Option, Outbound, StepAnswer, read_choice, step_option
from core.parsing import ParseError, is_none_answer, match_choice, normalize
from storage import conversations
from storage.conversations import Conversation
from texts import forms as t

SUMMARY = "__summary__"
RESUME = "__resume__"
DEFAULT_MAX_LENGTH = 4000

Maybe = Any  # a value, or an awaitable of it: step callables may be sync or async


@dataclass
class FormCtx:
    """What a step's callables see: the update context, the flow's parameters and the draft."""

    ctx: Ctx
    params: dict[str, Any]
    draft: dict[str, Any]


class FormError(Exception):
    """Raised by a submit to send the user back to one step with a reason."""

    def __init__(self, step: str, reason: str) -> None:
        super().__init__(reason)
        self.step = step
        self.reason = reason


@dataclass(frozen=True)
class Step:
    """One question of a form."""

    key: str
    label: str
    prompt: str | Callable[[FormCtx], Maybe]
    parse: Callable[[FormCtx, str], Maybe] | None = None
    options: Sequence[Option] | Callable[[FormCtx], Maybe] | None = None
    when: Callable[[FormCtx], bool] | None = None
    show: Callable[[FormCtx, Any], Maybe] | None = None
    optional: bool = False
    depends_on: tuple[str, ...] = ()
    max_length: int = DEFAULT_MAX_LENGTH


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
    intro: Callable[[FormCtx], Maybe] | None = None

    def step(self, key: str) -> Step:
        """Return the step with that key."""
        return next(s for s in self.steps if s.key == key)


async def _resolve(value: Maybe) -> Any:
    """Await a value if a step callable returned an awaitable."""
    return await value if inspect.isawaitable(value) else value


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
            saved = await conversations.load_draft(ctx.conn, ctx.identity.person_id, name)
            if saved is not None and saved.state.get("params") == params:
                state = {"params": params, "saved": saved.state, "saved_step": saved.step, "answers": answers}
                await self._save(ctx, Conversation(name, RESUME, state))
                return [self._resume_question(form, saved)]
        state = {"params": params, "draft": dict(answers), "history": []}
        out = [Outbound(t.form_started(form.title))] if form.confirm else []
        if form.intro is not None:
            out.append(Outbound(await _resolve(form.intro(FormCtx(ctx, params, {})))))
        return out + await self._advance(ctx, form, state)

    async def answer(self, ctx: Ctx, conversation: Conversation) -> list[Outbound]:
        """Handle the user's message as the answer to the current step."""
        form = self.forms[conversation.flow]
        state = conversation.state
        if conversation.step == RESUME:
            return await self._answer_resume(ctx, form, state)
        if conversation.step == SUMMARY:
            return await self._answer_summary(ctx, form, state)
        return await self._answer_step(ctx, form, state, form.step(conversation.step))

    async def reprompt(self, ctx: Ctx, conversation: Conversation, lead: str | None = None) -> list[Outbound]:
        """Ask the current question again, after a command from outside the flow."""
        form = self.forms[conversation.flow]
        lead = lead or t.resume_after_command(form.title)
        if conversation.step == RESUME:
            saved = Conversation(form.name, conversation.state["saved_step"], conversation.state["saved"])
            return [self._resume_question(form, saved, lead)]
        if conversation.step == SUMMARY:
            return [await self._summary(ctx, form, conversation.state, lead)]
        step = form.step(conversation.step)
        return [await self._prompt(ctx, form, conversation.state, step, lead)]

    async def cancel(self, ctx: Ctx, conversation: Conversation) -> list[Outbound]:
        """Stop the flow, keeping what was typed as a draft when the form keeps drafts."""
        form = self.forms[conversation.flow]
        await conversations.clear(ctx.conn, ctx.inbound.channel, ctx.inbound.chat_id)
        keeps = form.keep_drafts and ctx.identity is not None and conversation.step != RESUME
        if keeps and conversation.state.get("draft"):
            await conversations.save_draft(ctx.conn, ctx.me.person_id, conversation, ctx.now)
            return [Outbound(t.cancelled(form.title, f"/{form.command}" if form.command else None))]
        return [Outbound(t.cancelled(form.title, None))]

    async def _answer_resume(self, ctx: Ctx, form: Form, state: dict) -> list[Outbound]:
        """Continue the saved draft or start afresh."""
        saved = Conversation(form.name, state["saved_step"], state["saved"])
        try:
            index = self._choice_index(ctx, form, RESUME, [t.CONTINUE_DRAFT, t.START_OVER])
        except ParseError as error:
            return [self._resume_question(form, saved, t.invalid(error.reason))]
        await conversations.delete_draft(ctx.conn, ctx.me.person_id, form.name)
        if index == 0:
            await self._save(ctx, saved)
            return await self.reprompt(ctx, saved, lead=t.resume_after_command(form.title))
        fresh = {"params": state["params"], "draft": dict(state.get("answers", {})), "history": []}
        return await self._advance(ctx, form, fresh)

    async def _answer_summary(self, ctx: Ctx, form: Form, state: dict) -> list[Outbound]:
        """Submit, keep as draft, or open one answer for editing."""
        visible = await self._visible_steps(ctx, form, state)
        text = normalize(ctx.inbound.text or "")
        choice = self._button(ctx, form, SUMMARY)
        if choice == "submit" or text in t.SUBMIT_WORDS:
            return await self._submit(ctx, form, state)
        if choice == "draft" or text in t.SAVE_DRAFT_WORDS:
            await conversations.clear(ctx.conn, ctx.inbound.channel, ctx.inbound.chat_id)
            await conversations.save_draft(
                ctx.conn, ctx.me.person_id, Conversation(form.name, SUMMARY, state), ctx.now
            )
            return [Outbound(t.draft_saved(form.title, f"/{form.command}"))]
        for prefix in t.EDIT_PREFIXES:
            text = text.removeprefix(prefix)
        if text.isdigit() and 1 <= int(text) <= len(visible):
            step = visible[int(text) - 1]
            await self._save(ctx, Conversation(form.name, step.key, state))
            return [await self._prompt(ctx, form, state, step)]
        return [await self._summary(ctx, form, state, t.summary_not_understood(len(visible)))]

    async def _answer_step(self, ctx: Ctx, form: Form, state: dict, step: Step) -> list[Outbound]:
        """Parse an answer to a step, re-asking with the reason when it is not valid."""
        text = (ctx.inbound.text or "").strip()
        if normalize(text) in t.BACK_WORDS and ctx.inbound.choice is None:
            return await self._back(ctx, form, state, step)
        fctx = FormCtx(ctx, state["params"], state["draft"])
        try:
            value = await self._parse(ctx, form, fctx, step, text)
        except ParseError as error:
            return [await self._prompt(ctx, form, state, step, t.invalid(error.reason))]
        except _StaleButton:
            return [await self._prompt(ctx, form, state, step, t.stale_button())]
        previous = state["draft"].get(step.key, _UNSET)
        state["draft"][step.key] = value
        if previous != value:
            self._clear_dependents(form, state, step.key)
        state["history"] = [k for k in state["history"] if k != step.key] + [step.key]
        return await self._advance(ctx, form, state)

    async def _parse(self, ctx: Ctx, form: Form, fctx: FormCtx, step: Step, text: str) -> Any:
        """Turn the user's message into the step's value."""
        options = await self._options(fctx, step)
        if ctx.inbound.choice is not None:
            button = self._button(ctx, form, step.key)
            if button is None or not button.isdigit() or int(button) >= len(options):
                raise _StaleButton
            return options[int(button)].value
        if step.optional and is_none_answer(text):
            return None
        if not text and ctx.inbound.attachment is not None and step.parse is not None and not options:
            # A file or photo with no caption is the answer itself; the step's parser reads it.
            return await _resolve(step.parse(fctx, text))
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
        return await _resolve(step.parse(fctx, text))

    def _button(self, ctx: Ctx, form: Form, step_key: str) -> str | None:
        """Return the value of a pressed button that belongs to this step, if any."""
        choice = read_choice(ctx.inbound.choice)
        if isinstance(choice, StepAnswer) and (choice.form, choice.step) == (form.name, step_key):
            return choice.answer
        return None

    def _choice_index(self, ctx: Ctx, form: Form, step_key: str, labels: list[str]) -> int:
        """Return the index chosen by button or typed answer among fixed labels."""
        button = self._button(ctx, form, step_key)
        if button is not None:
            return int(button)
        return match_choice(ctx.inbound.text or "", labels)

    async def _back(self, ctx: Ctx, form: Form, state: dict, step: Step) -> list[Outbound]:
        """Return to the previous answered step."""
        history = [k for k in state["history"] if k != step.key]
        if not history:
            return [await self._prompt(ctx, form, state, step)]
        previous = form.step(history[-1])
        state["history"] = history[:-1]
        await self._save(ctx, Conversation(form.name, previous.key, state))
        return [await self._prompt(ctx, form, state, previous)]

    def _clear_dependents(self, form: Form, state: dict, key: str) -> None:
        """Forget answers that depended on a changed answer, so they are asked again."""
        changed = {key}
        for step in form.steps:
            if changed.intersection(step.depends_on) and step.key in state["draft"]:
                del state["draft"][step.key]
                changed.add(step.key)

    async def _visible_steps(self, ctx: Ctx, form: Form, state: dict) -> list[Step]:
        """Return the steps that apply to this draft, in order."""
        fctx = FormCtx(ctx, state["params"], state["draft"])
        return [s for s in form.steps if s.when is None or s.when(fctx)]

    async def _advance(self, ctx: Ctx, form: Form, state: dict) -> list[Outbound]:
        """Move to the first unanswered step, or to the summary, or submit."""
        for step in await self._visible_steps(ctx, form, state):
            if step.key not in state["draft"]:
                await self._save(ctx, Conversation(form.name, step.key, state))
                return [await self._prompt(ctx, form, state, step)]
        if form.confirm:
            await self._save(ctx, Conversation(form.name, SUMMARY, state))
            return [await self._summary(ctx, form, state)]
        return await self._submit(ctx, form, state)

    async def _submit(self, ctx: Ctx, form: Form, state: dict) -> list[Outbound]:
        """Run the form's submit; on a FormError go back to the step it names."""
        fctx = FormCtx(ctx, state["params"], state["draft"])
        # Cleared first so that a submit may open the next flow (picking a report, then amending it).
        await conversations.clear(ctx.conn, ctx.inbound.channel, ctx.inbound.chat_id)
        try:
            result = await form.submit(fctx)
        except FormError as error:
            step = form.step(error.step)
            await self._save(ctx, Conversation(form.name, step.key, state))
            return [await self._prompt(ctx, form, state, step, t.invalid(error.reason))]
        if form.keep_drafts and ctx.identity is not None:
            await conversations.delete_draft(ctx.conn, ctx.identity.person_id, form.name)
        return result

    async def _options(self, fctx: FormCtx, step: Step) -> list[Option]:
        """Return a step's options for this draft."""
        if step.options is None:
            return []
        if callable(step.options):
            return list(await _resolve(step.options(fctx)))
        return list(step.options)

    async def _prompt(
        self, ctx: Ctx, form: Form, state: dict, step: Step, lead: str | None = None
    ) -> Outbound:
        """Render a step's question, with its options and the answer already given."""
        fctx = FormCtx(ctx, state["params"], state["draft"])
        question = step.prompt if isinstance(step.prompt, str) else await _resolve(step.prompt(fctx))
        parts = [lead] if lead else []
        parts.append(question)
        if step.key in state["draft"]:
            parts.append(t.current_value(await self._show(fctx, step, state["draft"][step.key])))
        if step.optional:
            parts.append(t.skip_hint())
        options = await self._options(fctx, step)
        buttons = tuple(step_option(o.label, form.name, step.key, i) for i, o in enumerate(options))
        return Outbound("\n\n".join(parts), options=buttons)

    async def _summary(self, ctx: Ctx, form: Form, state: dict, lead: str | None = None) -> Outbound:
        """Render every answer numbered, with submit and save-draft choices."""
        fctx = FormCtx(ctx, state["params"], state["draft"])
        visible = await self._visible_steps(ctx, form, state)
        lines = [
            f"{n}. {step.label}: {await self._show(fctx, step, state['draft'].get(step.key))}"
            for n, step in enumerate(visible, start=1)
        ]
        text = t.summary(form.title, lines, len(visible))
        options = (
            step_option(t.SUBMIT, form.name, SUMMARY, "submit"),
            step_option(t.SAVE_DRAFT, form.name, SUMMARY, "draft"),
        )
        # The summary text already says which words to type, so text channels show no option list.
        body = f"{lead}\n\n{text}" if lead else text
        return Outbound(body, options=options, numbered=False, options_in_text=False)

    async def _show(self, fctx: FormCtx, step: Step, value: Any) -> str:
        """Render an answer for display."""
        if value is None:
            return t.no_value()
        if step.show is not None:
            return str(await _resolve(step.show(fctx, value)))
        for option in await self._options(fctx, step):
            if option.value == value:
                return option.label
        return str(value)

    def _resume_question(self, form: Form, saved: Conversation, lead: str | None = None) -> Outbound:
        """Ask whether to continue a saved draft."""
        saved_at = saved.state.get("saved_at")
        shown = fmt_datetime(datetime.fromisoformat(saved_at)) if saved_at else t.no_value()
        text = t.draft_found(form.title, shown)
        labels = (t.CONTINUE_DRAFT, t.START_OVER)
        options = tuple(step_option(label, form.name, RESUME, i) for i, label in enumerate(labels))
        return Outbound(f"{lead}\n\n{text}" if lead else text, options=options)

    async def _save(self, ctx: Ctx, conversation: Conversation) -> None:
        """Store the chat's conversation, stamping when it was last touched."""
        conversation.state["saved_at"] = ctx.now.isoformat()
        await conversations.save(ctx.conn, ctx.inbound.channel, ctx.inbound.chat_id, conversation, ctx.now)


class _StaleButton(Exception):
    """A button from another step was pressed."""


_UNSET = object()
