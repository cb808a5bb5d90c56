"""Label ids and their metadata: mirrors the label contract (../shared/taxonomy.md v1.3)."""

from __future__ import annotations

from dataclasses import dataclass

TAXONOMY_VERSION = "1.3"


@dataclass(frozen=True, slots=True)
class Label:
    id: str
    topic: str
    short: str  # column header for narrow tables


LABELS: tuple[Label, ...] = (
    Label("cross_border_data_flows", "free flow / cross-border transfer of information by electronic means", "flows"),
    Label("data_localization", "location of computing facilities / data storage", "local"),
    Label("personal_data_protection", "privacy and personal data", "privacy"),
    Label("privacy_safeguard", "carve-outs preserving privacy or data protection", "priv-exc"),
    Label("source_code", "software source code and algorithms", "code"),
    Label("open_government_data", "public-sector data", "open-gov"),
    Label("cybersecurity", "security of networks, systems and information", "cybersec"),
    Label("cybercrime", "crime committed through ICT", "cybercrime"),
    Label("unsolicited_messages", "spam", "spam"),
    Label("online_consumer_protection", "consumers in e-commerce", "consumer"),
    Label("electronic_transactions", "legal framework for e-transactions", "e-sign"),
    Label("paperless_trading", "trade administration in electronic form", "paperless"),
    Label("customs_duties_electronic_transmissions", "duty-free electronic transmissions", "no-duties"),
    Label("digital_products_nondiscrimination", "treatment of digital products", "digital-nd"),
    Label("internet_access", "open internet / net neutrality", "access"),
    Label("intermediary_liability", "liability of internet intermediaries", "intermed"),
    Label("ict_standards_cryptography", "ICT products, standards and encryption", "ict-std"),
    Label("emerging_digital_tech", "new digital-economy topics", "emerging"),
    Label("data_ownership", "who owns, controls, accesses and may use data", "data-own"),
    Label("ecommerce_general", "general e-commerce / digital trade / information society", "e-com"),
)

LABEL_IDS: tuple[str, ...] = tuple(label.id for label in LABELS)
SHORT_NAMES: dict[str, str] = {label.id: label.short for label in LABELS}
BINDINGNESS_VALUES: tuple[str, ...] = ("hard", "soft", "mixed")


def validate_labels(labels: list[str] | tuple[str, ...]) -> tuple[str, ...]:
    """Return the labels sorted; raise ValueError naming any id not in the contract."""
    unknown = sorted(set(labels) - set(LABEL_IDS))
    if unknown:
        raise ValueError(f"unknown label id(s) {unknown}; valid ids: {', '.join(LABEL_IDS)}")
    return tuple(sorted(set(labels)))
