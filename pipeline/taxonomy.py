"""Label ids and their metadata: mirrors the label contract (../shared/taxonomy.md v1.1)."""

from __future__ import annotations

from dataclasses import dataclass

TAXONOMY_VERSION = "1.1"


@dataclass(frozen=True, slots=True)
class Label:
    id: str
    topic: str


LABELS: tuple[Label, ...] = (
    Label("cross_border_data_flows", "free flow / cross-border transfer of information by electronic means"),
    Label("data_localization", "location of computing facilities / data storage"),
    Label("personal_data_protection", "privacy and personal data"),
    Label("privacy_safeguard", "carve-outs preserving privacy or data protection"),
    Label("source_code", "software source code and algorithms"),
    Label("open_government_data", "public-sector data"),
    Label("cybersecurity", "security of networks, systems and information"),
    Label("cybercrime", "crime committed through ICT"),
    Label("unsolicited_messages", "spam"),
    Label("online_consumer_protection", "consumers in e-commerce"),
    Label("electronic_transactions", "legal framework for e-transactions"),
    Label("paperless_trading", "trade administration in electronic form"),
    Label("customs_duties_electronic_transmissions", "duty-free electronic transmissions"),
    Label("digital_products_nondiscrimination", "treatment of digital products"),
    Label("internet_access", "open internet / net neutrality"),
    Label("intermediary_liability", "liability of internet intermediaries"),
    Label("ict_standards_cryptography", "ICT products, standards and encryption"),
    Label("emerging_digital_tech", "new digital-economy topics"),
    Label("ecommerce_general", "general e-commerce / digital trade / information society"),
)

LABEL_IDS: tuple[str, ...] = tuple(label.id for label in LABELS)
BINDINGNESS_VALUES: tuple[str, ...] = ("hard", "soft", "mixed")


def validate_labels(labels: list[str] | tuple[str, ...]) -> tuple[str, ...]:
    """Return the labels sorted; raise ValueError naming any id not in the contract."""
    unknown = sorted(set(labels) - set(LABEL_IDS))
    if unknown:
        raise ValueError(f"unknown label id(s) {unknown}; valid ids: {', '.join(LABEL_IDS)}")
    return tuple(sorted(set(labels)))
