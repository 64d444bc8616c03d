"""Data for choosing and customizing foundation models (assignment 18).

Nothing here is a real model or a real price. ``candidate_models`` is a made-up table of five
candidate foundation models; ``mock_converse`` is a small deterministic stand-in for a Bedrock
``Converse`` call: keyword rules instead of a language model, and a response dict shaped like the
real one (``output.message.content[0].text``, ``stopReason``, ``usage``, ``metrics``) so that code
written against it reads the same as code written against boto3.
"""
from __future__ import annotations

import json

import numpy as np
import pandas as pd

TICKET_LABELS = ("billing", "technical", "account", "other")

# Keyword rules of the mock model, checked in this order: the first label with a keyword wins.
_RULES = {
    "billing": ("invoice", "charged", "refund", "payment", "bill", "price"),
    "technical": ("error", "crash", "crashes", "slow", "timeout", "bug", "install"),
    "account": ("password", "login", "log", "username", "locked", "email"),
}


def count_tokens(text: str) -> int:
    """The course's stand-in tokenizer: one token per whitespace-separated word.

    Real models use sub-word tokenizers and count more tokens than words; the rule only has to be
    simple and stated.
    """
    return len(str(text).split())


def candidate_models() -> pd.DataFrame:
    """Five invented candidate models: task quality, p95 latency and invented prices.

    Columns: ``model`` (name), ``quality`` (accuracy on the team's own 200-question evaluation
    set, 0-1), ``p95_latency_ms``, ``price_in_per_1k`` and ``price_out_per_1k`` (dollars per 1,000
    input and output tokens, on demand) and ``unit_price_per_hour`` (dollars per model unit and hour
    of provisioned throughput). Every number is an example made up for the course, not a price.
    """
    return pd.DataFrame({
        "model": ["atlas-xl", "atlas-m", "breeze-s", "cedar-l", "delta-mini"],
        "quality": [0.91, 0.86, 0.78, 0.89, 0.71],
        "p95_latency_ms": [2400, 900, 350, 1600, 200],
        "price_in_per_1k": [0.0080, 0.0030, 0.0008, 0.0050, 0.0002],
        "price_out_per_1k": [0.0240, 0.0150, 0.0032, 0.0150, 0.0006],
        "unit_price_per_hour": [48.0, 22.0, 9.0, 30.0, 4.0],
    })


def usage_log(n: int = 12, seed: int = 1801) -> list[dict]:
    """``n`` ``usage`` records as Converse returns them, one per request (seeded)."""
    rng = np.random.default_rng(seed)
    records = []
    for _ in range(n):
        tokens_in, tokens_out = int(rng.integers(200, 1500)), int(rng.integers(20, 400))
        records.append({"inputTokens": tokens_in, "outputTokens": tokens_out,
                        "totalTokens": tokens_in + tokens_out})
    return records


def support_tickets() -> pd.DataFrame:
    """Twelve labelled support tickets: the pool the few-shot examples are chosen from."""
    rows = [
        ("I was charged twice on my last invoice", "billing"),
        ("Please send a refund for the duplicate payment", "billing"),
        ("The price on my bill is higher than the plan", "billing"),
        ("The app crashes when I open the settings page", "technical"),
        ("Uploads fail with a timeout error after ten seconds", "technical"),
        ("The install stops halfway with an unknown error", "technical"),
        ("I forgot my password and the reset email never arrives", "account"),
        ("My account is locked after three login attempts", "account"),
        ("How do I change the username on my profile", "account"),
        ("Do you have an office in Lisbon", "other"),
        ("Can I suggest a feature for the next release", "other"),
        ("Thanks for the quick help yesterday", "other"),
    ]
    return pd.DataFrame(rows, columns=["text", "label"])


def prompt_cases() -> pd.DataFrame:
    """Eight new tickets with the label a correct answer must give (the prompt tests)."""
    rows = [
        ("Why was my card charged for a plan I cancelled", "billing"),
        ("The dashboard is very slow since the update", "technical"),
        ("I cannot log in with my new email address", "account"),
        ("Where can I find your press kit", "other"),
        ("The invoice shows the wrong company name", "billing"),
        ("Every export ends with error 500", "technical"),
        ("Please unlock my account, I typed the password wrong", "account"),
        ("Do you sponsor student hackathons", "other"),
    ]
    return pd.DataFrame(rows, columns=["text", "label"])


def _texts(blocks) -> list[str]:
    return [str(block.get("text", "")) for block in blocks or [] if isinstance(block, dict)]


def mock_converse(request: dict) -> dict:
    """A deterministic STAND-IN for ``bedrock_runtime.converse(**request)``; no model, no network.

    The "model" classifies the last user message into one of ``TICKET_LABELS`` by keyword rules
    (the first matching label in the order billing, technical, account; else other). How it answers
    depends on the prompt, as a real model's answer does:

    * the system prompt or the user message asks for JSON (contains the word "JSON") -> a JSON
      object ``{"label": ..., "confidence": ...}``; wrapped in a Markdown code fence (three
      backticks and ``json``) unless the prompt also says "no code fence";
    * otherwise -> a sentence such as ``"This looks like a billing question."``.

    ``inferenceConfig.maxTokens`` cuts the answer after that many words (``stopReason`` becomes
    ``"max_tokens"``). Tokens are counted with ``count_tokens`` over the system texts and every
    message text (input) and the answer (output); ``metrics.latencyMs`` is 40 ms plus 2 ms per token.
    """
    system = " ".join(_texts(request.get("system")))
    messages = request.get("messages") or []
    user_texts = [" ".join(_texts(m.get("content"))) for m in messages if m.get("role") == "user"]
    last = user_texts[-1] if user_texts else ""
    # the ticket is the text after the last "Ticket:" marker, or the whole message
    ticket = last.rsplit("Ticket:", 1)[-1].lower()
    words = set(ticket.replace(",", " ").replace(".", " ").replace("?", " ").split())
    label = next((name for name, keys in _RULES.items() if words & set(keys)), "other")
    hits = sum(len(words & set(keys)) for keys in _RULES.values())
    confidence = round(min(0.99, 0.55 + 0.15 * hits), 2)
    prompt = f"{system} {last}"
    if "json" in prompt.lower():
        text = json.dumps({"label": label, "confidence": confidence})
        if "no code fence" not in prompt.lower():
            text = "```json\n" + text + "\n```"
    else:
        text = f"This looks like a {label} question."
    stop = "end_turn"
    limit = (request.get("inferenceConfig") or {}).get("maxTokens")
    if limit is not None and count_tokens(text) > int(limit):
        text, stop = " ".join(text.split()[: int(limit)]), "max_tokens"
    tokens_in = count_tokens(system) + sum(count_tokens(" ".join(_texts(m.get("content"))))
                                           for m in messages)
    tokens_out = count_tokens(text)
    return {
        "output": {"message": {"role": "assistant", "content": [{"text": text}]}},
        "stopReason": stop,
        "usage": {"inputTokens": tokens_in, "outputTokens": tokens_out,
                  "totalTokens": tokens_in + tokens_out},
        "metrics": {"latencyMs": 40 + 2 * (tokens_in + tokens_out)},
    }
