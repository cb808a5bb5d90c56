"""Run-together English words split again for the classifier (pipeline/nlp/spacing.py)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.classify.base import ClassifierInput
from pipeline.classify.registry import MODELS_DIR, load_classifier
from pipeline.classify.trained import provision_frame
from pipeline.nlp.spacing import split_run_together_words as split_texts
from pipeline.nlp.spacing import split_word, word_counts


def split_run_together_words(text: str) -> str:
    return split_texts([text])[0]


def test_the_word_counts_are_read_as_ranks_of_a_file_sorted_by_count() -> None:
    """WordCounts tells frequent and common words by rank: that holds only while wordsegment's
    unigram file lists its words from the most frequent down."""
    counts = word_counts()
    numbers = [float(count) for count in counts._counts]
    assert numbers == sorted(numbers, reverse=True)
    assert 0 < counts.common_until < counts.frequent_until < len(numbers)
    assert numbers[counts.frequent_until - 1] > 60_000 >= numbers[counts.frequent_until]


def test_words_the_source_ran_together_are_split_again() -> None:
    text = ("The Parties shall review the progress made in realizingpaperless trading. To this end, a "
            "Partyshallnot impose customsdutiesonelectronic transmissions, and theParties shall makecooperative "
            "efforts on conformityassessment.")
    assert split_run_together_words(text) == (
        "The Parties shall review the progress made in realizing paperless trading. To this end, a "
        "Party shall not impose customs duties on electronic transmissions, and the Parties shall make cooperative "
        "efforts on conformity assessment.")


def test_rare_glued_pairs_are_split_but_words_in_their_own_right_are_not() -> None:
    # The web counts of "theother" or "crossborder" are low but not zero.
    assert split_word("theother") == ("the", "other")
    assert split_word("betweenthe") == ("between", "the")
    for word in ("cannot", "thereto", "whereof", "persevere", "subheading", "phytosanitary", "interoperability",
                 "telecommunications", "cryptographic", "checkpoints"):
        assert split_word(word) == (word,), word


def test_acronyms_foreign_and_rare_words_are_not_cut_into_fragments() -> None:
    for word in ("CARIFORUM", "rectifications", "handtekening", "Gemeinschaften", "puolesta", "governmentally",
                 "topographies", "phonogram", "resubmitting"):
        assert split_word(word) == (word,), word


def test_the_lexicons_words_are_never_split_and_may_be_parts() -> None:
    for word in ("fintech", "ecommerce", "cybersecurity", "paperless"):
        assert split_word(word) == (word,), word
    assert split_word("topaperless") == ("to", "paperless")


def test_capitals_are_kept_where_the_split_falls() -> None:
    assert split_run_together_words("theParties and THEPARTIES") == "the Parties and THE PARTIES"


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("abcdeghilmnoprstuyABP .,;:()\n1-")), max_size=80))
def test_only_spaces_are_added(text: str) -> None:
    split = split_run_together_words(text)
    assert split.replace(" ", "") == text.replace(" ", "")
    assert len(split) >= len(text)


def test_the_classifier_reads_split_english_text_from_features_12_on() -> None:
    texts = ["a Partyshallnot impose customsdutiesonelectronic transmissions",
             "una Partenoimpondrá derechosaduaneros"]
    new = provision_frame(texts, ["en", "es"], features=12)
    assert new["text"].tolist() == ["a Party shall not impose customs duties on electronic transmissions",
                                    "una Partenoimpondrá derechosaduaneros"]  # wordsegment is English only
    assert provision_frame(texts, ["en", "es"], features=11)["text"].tolist() == texts


CLAUSES = [
    "No Party shall impose customs duties on electronic transmissions between a person of one Party and a person "
    "of the other Party.",
    "Each Party shall endeavour to accept electronic versions of trade administration documents as the legal "
    "equivalent of the paper versions of those documents.",
    "Each Party shall adopt or maintain measures regarding unsolicited commercial electronic messages sent to "
    "the users of electronic commerce.",
    "Each Party shall adopt or maintain a legal framework that provides for the protection of the personal "
    "information of the users of electronic commerce.",
]


def without_every_other_space(text: str) -> str:
    """The text as a tight PDF layout loses it: every second space gone."""
    words = text.split(" ")
    return "".join(word + ("" if i % 2 == 0 else " ") for i, word in enumerate(words)).strip()


def test_the_default_model_labels_a_clause_that_lost_its_spaces_as_the_clause_itself() -> None:
    """From model 1.12.0 (features 12) the classifier reads run-together words split again, so a clause
    whose extraction lost every second space gets the labels of the clause as written; model 1.11.0,
    which reads the runs as they are, does not (the check can fail)."""
    glued = [without_every_other_space(clause) for clause in CLAUSES]
    assert all("customsduties" in g or "electronicversions" in g or "electronic" in g for g in glued)

    def labels(model, texts: list[str]) -> list[tuple[str, ...]]:
        return [p.labels for p in model.predict([ClassifierInput(f"c{i}", t) for i, t in enumerate(texts)])]

    default = load_classifier()
    assert default.features >= 12
    as_written = labels(default, CLAUSES)
    assert all(as_written)
    assert labels(default, glued) == as_written
    older = load_classifier(str(MODELS_DIR / "norm-classifier" / "1.11.0"))
    assert labels(older, glued) != as_written
