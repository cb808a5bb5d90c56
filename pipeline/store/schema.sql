-- cybernorms clause store. One DuckDB file; analysts query it with plain SQL.
-- Every statement is idempotent so that opening an existing database re-applies it safely.

CREATE TABLE IF NOT EXISTS agreements (
    agreement_id   VARCHAR PRIMARY KEY,   -- "<source>:<source_id>", e.g. 'tota:442'
    source         VARCHAR NOT NULL,      -- 'tota', 'pdf', 'html', 'text'
    source_id      VARCHAR NOT NULL,      -- ToTA treaty_identifier, or the file's manifest id / stem
    name           VARCHAR NOT NULL,
    type           VARCHAR,               -- WTO RTA type, e.g. 'Free Trade Agreement & Economic Integration Agreement'
    composition    VARCHAR,               -- 'Bilateral', 'Plurilateral', ...
    status         VARCHAR,               -- 'In Force', ...
    date_signed    DATE,
    date_in_force  DATE,
    parties        VARCHAR[],             -- ISO 3166-1 alpha-3 codes of the current signatories
    region         VARCHAR,
    language       VARCHAR,               -- ISO 639-1 code of the text
    content_hash   VARCHAR NOT NULL,      -- sha256 of the source bytes; unchanged files are skipped
    run_id         VARCHAR NOT NULL       -- the refresh that last wrote this agreement
);

CREATE TABLE IF NOT EXISTS provisions (
    provision_id        VARCHAR PRIMARY KEY,  -- "<agreement_id>:<ordinal>"
    agreement_id        VARCHAR NOT NULL,
    ordinal             INTEGER NOT NULL,     -- position in the agreement, from 0
    chapter             VARCHAR,              -- chapter title
    article_no          VARCHAR,              -- e.g. 'Article 14.11'
    article_title       VARCHAR,
    text                VARCHAR NOT NULL,     -- exact text of the article
    char_start          INTEGER,              -- offsets into the agreement's full text
    char_end            INTEGER,
    source_provision_id VARCHAR,              -- ToTA article_identifier
    page_start          INTEGER,              -- PDF pages (1-based), null for other formats
    page_end            INTEGER
);

CREATE TABLE IF NOT EXISTS predictions (
    provision_id   VARCHAR PRIMARY KEY,
    agreement_id   VARCHAR NOT NULL,
    labels         VARCHAR[] NOT NULL,    -- taxonomy label ids, sorted; empty when screened in but unlabelled
    scores         VARCHAR,               -- JSON object label -> score
    bindingness    VARCHAR,               -- 'hard' | 'soft' | 'mixed' when labels is not empty
    instruments    VARCHAR[] NOT NULL,    -- canonical names of referenced international instruments
    model_version  VARCHAR NOT NULL
);

-- The paragraphs of each labelled provision, as bindingness is judged on them: cite
-- "Art. 14.11(2)" with the exact text (substring of provisions.text at the offsets).
CREATE TABLE IF NOT EXISTS paragraphs (
    provision_id     VARCHAR NOT NULL,
    agreement_id     VARCHAR NOT NULL,
    paragraph_index  INTEGER NOT NULL,     -- position in the provision, from 0
    paragraph_no     VARCHAR,              -- printed number ("2"); null for a chapeau, a sentence or a whole article
    kind             VARCHAR NOT NULL,     -- 'numbered', 'chapeau', 'sentence', 'whole'
    char_start       INTEGER NOT NULL,     -- offsets into provisions.text
    char_end         INTEGER NOT NULL,
    bindingness      VARCHAR NOT NULL,     -- 'binding', 'weak', 'hortatory', 'neither'
    labels           VARCHAR[] NOT NULL,   -- the provision's labels this paragraph carries
    PRIMARY KEY (provision_id, paragraph_index)
);

CREATE TABLE IF NOT EXISTS runs (
    run_id               VARCHAR PRIMARY KEY,
    started_at           TIMESTAMP NOT NULL,
    finished_at          TIMESTAMP,
    source               VARCHAR NOT NULL,
    model_version        VARCHAR NOT NULL,
    agreements_seen      INTEGER NOT NULL DEFAULT 0,
    agreements_written   INTEGER NOT NULL DEFAULT 0,
    agreements_unchanged INTEGER NOT NULL DEFAULT 0,
    provisions_written   INTEGER NOT NULL DEFAULT 0,
    errors               VARCHAR[] NOT NULL DEFAULT [],
    status               VARCHAR NOT NULL     -- 'running', 'completed', 'completed with errors', 'failed'
);

-- One row per provision with at least one label: the table analysts and scripts use.
CREATE OR REPLACE VIEW clauses AS
SELECT
    a.agreement_id,
    a.source,
    a.source_id,
    p.source_provision_id,
    a.name AS agreement_name,
    a.date_signed,
    year(a.date_signed) AS year,
    a.parties,
    a.language,
    p.chapter,
    p.article_no,
    p.article_title,
    p.text,
    pr.labels,
    pr.bindingness,
    pr.instruments,
    pr.model_version
FROM predictions AS pr
JOIN provisions AS p ON p.provision_id = pr.provision_id
JOIN agreements AS a ON a.agreement_id = p.agreement_id
WHERE len(pr.labels) > 0;
