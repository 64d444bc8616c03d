"""Data for retrieval and RAG (assignment 19): the help-centre corpus of a fictional appliance
maker, questions with their relevant documents, and twelve weeks of a query log whose topics drift.

Everything is written from templates with a fixed seed: the same documents, questions and log on
every machine, nothing fetched. Brightwell Home and its products are made up.
"""
from __future__ import annotations

import re

import numpy as np
import pandas as pd

# product -> (kind, distinctive words used in its documents and in the questions about it)
PRODUCTS = {
    "Aero kettle": ("kettle", ["boil", "limescale", "descale", "spout", "litre"]),
    "Pulse blender": ("blender", ["blade", "jug", "smoothie", "motor", "pulse"]),
    "Clearair purifier": ("purifier", ["filter", "hepa", "pollen", "airflow", "odour"]),
    "Roamer vacuum": ("vacuum", ["brush", "dustbin", "suction", "dock", "carpet"]),
    "Lumo lamp": ("lamp", ["bulb", "dimmer", "brightness", "lumen", "shade"]),
    "Solis heater": ("heater", ["thermostat", "radiant", "wattage", "frost", "tip-over"]),
}
NEW_PRODUCT = "Solis heater"          # launched in week 7; its manuals are not yet in the index

ASPECTS = {
    "setup": ("Setting up the {p}", [
        "Unpack the {p} and remove every sticker before the first use.",
        "Place the {k} on a flat, dry surface away from the edge of the counter.",
        "Register the {k} in the Brightwell app so that firmware updates reach it.",
        "The quick-start card inside the box shows where the {w0} and the {w1} sit.",
        "Run one empty cycle first: a faint smell from a new {w2} is normal.",
    ]),
    "cleaning": ("Cleaning and care of the {p}", [
        "Unplug the {k} and let it cool down before cleaning it.",
        "Wipe the {w0} with a soft damp cloth; never put the base in water.",
        "Clean the {w1} once a month, or every week with heavy use.",
        "Harsh detergents scratch the {w3}; use mild soap only.",
        "Let every part dry completely before you reassemble the {k}.",
    ]),
    "troubleshooting": ("Troubleshooting the {p}", [
        "If the {k} does not start, check that the {w2} is seated correctly.",
        "A blinking red light on the {k} means the {w0} needs attention.",
        "Unusual noise usually comes from a loose {w1}; tighten it by hand.",
        "Reset the {k} by holding the power button for ten seconds.",
        "If the {w4} still fails after a reset, contact support with the serial number.",
    ]),
    "specifications": ("Technical specifications of the {p}", [
        "The {p} draws 230 volts and weighs under three kilograms.",
        "Its {w0} and {w1} are made from recycled materials.",
        "The {k} meets the European safety standard for household appliances.",
        "Spare {w3} parts are sold in the Brightwell online shop.",
        "The rated {w4} is printed on the label under the base.",
    ]),
}

POLICIES = [
    ("Returns policy", ["returns", "refund", "receipt"], [
        "You may return any Brightwell product within 30 days of delivery for a full refund.",
        "Keep the receipt or the order number: a return needs one of them.",
        "Returned items must be complete and in their original packaging.",
        "The refund reaches the original payment method within five working days.",
    ]),
    ("Warranty terms", ["warranty", "guarantee", "defect"], [
        "Every Brightwell appliance carries a two-year warranty against manufacturing defects.",
        "The warranty does not cover damage from misuse, drops or limescale.",
        "To claim the guarantee, send the serial number and a photo of the defect.",
        "Repaired or replaced items keep the remaining warranty period.",
    ]),
    ("Shipping and delivery", ["shipping", "delivery", "courier"], [
        "Orders ship within two working days from our warehouse.",
        "Standard delivery takes three to five days; express delivery takes one day.",
        "The courier sends a tracking link by email once the parcel leaves.",
        "Delivery is free for orders above fifty euros.",
    ]),
    ("Billing and invoices", ["invoice", "billing", "payment"], [
        "Invoices are available in your account under Orders.",
        "We accept cards, bank transfer and instalment payment.",
        "A billing address change applies to future invoices only.",
        "Contact billing support if a payment was taken twice.",
    ]),
    ("Account and password", ["account", "password", "login"], [
        "Reset a forgotten password from the login page with your email address.",
        "Two-step verification protects your account from unknown devices.",
        "You can delete your account at any time from the privacy settings.",
        "A locked account unlocks itself after fifteen minutes.",
    ]),
    ("Privacy and data", ["privacy", "data", "consent"], [
        "Brightwell stores app data in the European Union.",
        "You can download a copy of your data from the privacy settings.",
        "Marketing emails need your consent and stop when you withdraw it.",
        "Usage data from connected appliances is kept for twelve months.",
    ]),
]

QUESTION_TEMPLATES = {
    "setup": ["how do i set up the {k} and where is the {w0}", "first use of a new {k} {w1}",
              "install {p} {w0} {w1}"],
    "cleaning": ["how to clean the {w1} of my {k}", "cleaning the {k} {w0} safely",
                 "care of {p} {w3}"],
    "troubleshooting": ["my {k} will not start {w2}", "{k} blinking red light {w0}",
                        "{p} noise from the {w1}"],
    "specifications": ["what is the rated {w4} of the {k}", "{p} weight and {w0} material",
                       "spare {w3} for {k}"],
}
POLICY_QUESTIONS = ["how long do i have for {w0} and a {w1}", "{w0} question about my {w2}",
                    "what are the rules for {w0}"]


def tokenize(text: str) -> list[str]:
    """Lower-case word tokens: runs of letters, digits, apostrophes and hyphens."""
    return re.findall(r"[a-z0-9'-]+", str(text).lower())


def _fill(template: str, product: str) -> str:
    kind, words = PRODUCTS[product]
    return template.format(p=product, k=kind, **{f"w{i}": w for i, w in enumerate(words)})


def company_documents(seed: int = 1901) -> pd.DataFrame:
    """The help centre: one row per document, columns ``doc_id`` (0, 1, ...), ``title``,
    ``topic`` (a product name or ``"policy"``), ``text`` (3 to 5 sentences) and ``indexed``
    (False for the manuals of the product launched in week 7, which the knowledge base has not
    ingested yet). 30 product documents (6 products x 4 manuals, plus an FAQ note each) and 6
    policies: 36 documents."""
    rng = np.random.default_rng(seed)
    rows = []
    for product in PRODUCTS:
        for aspect, (title, sentences) in ASPECTS.items():
            keep = sorted(rng.choice(len(sentences), size=int(rng.integers(3, 6)), replace=False))
            text = " ".join(_fill(sentences[i], product) for i in keep)
            rows.append((_fill(title, product), product, text))
        kind, words = PRODUCTS[product]
        rows.append((f"{product}: frequently asked questions", product,
                     f"Customers ask whether the {kind} works with the Brightwell app: it does. "
                     f"The {words[0]} is the part most often replaced. "
                     f"Firmware updates install overnight while the {kind} is on standby."))
    for title, _, sentences in POLICIES:
        keep = sorted(rng.choice(len(sentences), size=int(rng.integers(3, 5)), replace=False))
        rows.append((title, "policy", " ".join(sentences[i] for i in keep)))
    frame = pd.DataFrame(rows, columns=["title", "topic", "text"])
    frame.insert(0, "doc_id", np.arange(len(frame)))
    frame["indexed"] = frame["topic"] != NEW_PRODUCT
    return frame


def _questions(rng: np.random.Generator, documents: pd.DataFrame, products) -> list[tuple]:
    found = []
    for product in products:
        for aspect in ASPECTS:
            doc = int(documents.index[(documents["topic"] == product)
                                      & documents["title"].str.contains(ASPECTS[aspect][0].split(" ")[0])][0])
            template = QUESTION_TEMPLATES[aspect][int(rng.integers(len(QUESTION_TEMPLATES[aspect])))]
            relevant = (doc,)
            if aspect == "troubleshooting":          # the warranty terms help a failing device too
                relevant = (doc, int(documents.index[documents["title"] == "Warranty terms"][0]))
            found.append((_fill(template, product), product, relevant))
    return found


def retrieval_queries(seed: int = 1902) -> pd.DataFrame:
    """Evaluation questions with ground truth: columns ``query_id``, ``text``, ``topic`` and
    ``relevant`` (a tuple of the doc ids that answer it). One question per manual of the five
    indexed products, one per policy: 26 questions."""
    rng = np.random.default_rng(seed)
    documents = company_documents()
    rows = _questions(rng, documents, [p for p in PRODUCTS if p != NEW_PRODUCT])
    for title, words, _ in POLICIES:
        doc = int(documents.index[documents["title"] == title][0])
        template = POLICY_QUESTIONS[int(rng.integers(len(POLICY_QUESTIONS)))]
        rows.append((template.format(**{f"w{i}": w for i, w in enumerate(words)}), "policy", (doc,)))
    frame = pd.DataFrame(rows, columns=["text", "topic", "relevant"])
    frame.insert(0, "query_id", np.arange(len(frame)))
    return frame


def query_log(weeks: int = 12, per_week: int = 40, launch_week: int = 7, seed: int = 1903) -> pd.DataFrame:
    """Twelve weeks of logged questions with the documents that answered them (labelled later by
    the support team): columns ``week`` (1..12), ``text``, ``topic`` and ``relevant``.

    Until ``launch_week`` the questions follow the evaluation set's mix; from the launch on, a
    growing share (10 % in the launch week, +8 points a week) asks about the new product, whose
    manuals the knowledge base has not ingested, so retrieval accuracy drifts down."""
    rng = np.random.default_rng(seed)
    documents = company_documents()
    old = retrieval_queries()
    new = _questions(rng, documents, [NEW_PRODUCT])
    rows = []
    for week in range(1, weeks + 1):
        share = 0.0 if week < launch_week else 0.10 + 0.08 * (week - launch_week)
        for _ in range(per_week):
            if rng.uniform() < share:
                text, topic, relevant = new[int(rng.integers(len(new)))]
            else:
                row = old.iloc[int(rng.integers(len(old)))]
                text, topic, relevant = row["text"], row["topic"], row["relevant"]
            rows.append((week, text, topic, tuple(relevant)))
    return pd.DataFrame(rows, columns=["week", "text", "topic", "relevant"])
