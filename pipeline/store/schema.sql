-- cybernorms clause store. One DuckDB file; analysts query it with plain SQL.
-- Every statement is idempotent so that opening an existing database re-applies it safely.
--
-- The rows of every agreement ever read are kept in the all_* tables, withdrawn ones too
-- (all_agreements.withdrawn_at). Analysts, analytics and exports read the views of the same
-- names without the prefix (agreements, provisions, ...): they hold only agreements still at
-- their source, so a withdrawn agreement leaves every count in one place, and comes back
-- when it reappears. Databases from before the views are migrated by pipeline.store.database.

CREATE TABLE IF NOT EXISTS all_agreements (
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
    content_hash   VARCHAR NOT NULL,      -- sha256 of the source bytes (and manifest entry, for non-XML files)
    run_id         VARCHAR NOT NULL       -- the refresh that last wrote this agreement
);

CREATE TABLE IF NOT EXISTS all_provisions (
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

CREATE TABLE IF NOT EXISTS all_predictions (
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
CREATE TABLE IF NOT EXISTS all_paragraphs (
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

-- Added after the first release: ALTER keeps databases built before it usable.
ALTER TABLE all_agreements ADD COLUMN IF NOT EXISTS treaty VARCHAR;  -- manifest `treaty` key, else null
ALTER TABLE all_agreements ADD COLUMN IF NOT EXISTS dates_scanned BOOLEAN DEFAULT false;  -- text_dates written
-- Change detection and withdrawal (pipeline.fingerprint, pipeline.refresh_plan): null on rows
-- written before them, which the next refresh reads again, once.
ALTER TABLE all_agreements ADD COLUMN IF NOT EXISTS source_path VARCHAR;      -- the file or folder read (absolute)
ALTER TABLE all_agreements ADD COLUMN IF NOT EXISTS source_location VARCHAR;  -- the refresh --source it came from
ALTER TABLE all_agreements ADD COLUMN IF NOT EXISTS fingerprint VARCHAR;      -- bytes, metadata, parser, PDF engine
ALTER TABLE all_agreements ADD COLUMN IF NOT EXISTS model_version VARCHAR;    -- the model that classified it
ALTER TABLE all_agreements ADD COLUMN IF NOT EXISTS withdrawn_at TIMESTAMP;   -- gone from its source; null = live

ALTER TABLE runs ADD COLUMN IF NOT EXISTS agreements_added INTEGER DEFAULT 0;       -- new, or back at the source
ALTER TABLE runs ADD COLUMN IF NOT EXISTS agreements_changed INTEGER DEFAULT 0;     -- read again, or re-classified
ALTER TABLE runs ADD COLUMN IF NOT EXISTS agreements_reclassified INTEGER DEFAULT 0;  -- of those, only re-classified
ALTER TABLE runs ADD COLUMN IF NOT EXISTS agreements_withdrawn INTEGER DEFAULT 0;
ALTER TABLE runs ADD COLUMN IF NOT EXISTS agreements_failed INTEGER DEFAULT 0;
ALTER TABLE runs ADD COLUMN IF NOT EXISTS stage_seconds VARCHAR;     -- JSON object stage -> seconds
ALTER TABLE runs ADD COLUMN IF NOT EXISTS parser_version VARCHAR;    -- pipeline.fingerprint.parser_version
ALTER TABLE runs ADD COLUMN IF NOT EXISTS code_version VARCHAR;      -- package version + hash of its code
ALTER TABLE runs ADD COLUMN IF NOT EXISTS pdf_engine VARCHAR;
ALTER TABLE runs ADD COLUMN IF NOT EXISTS published BOOLEAN DEFAULT true;  -- false: nothing to write, no new snapshot

-- Which runs touched which agreement, and how (`cybernorms history AGREEMENT`).
CREATE TABLE IF NOT EXISTS run_documents (
    run_id        VARCHAR NOT NULL,
    agreement_id  VARCHAR NOT NULL,
    action        VARCHAR NOT NULL,     -- 'added' (new, or back at its source), 'changed', 'reclassified', 'withdrawn'
    source_path   VARCHAR,
    PRIMARY KEY (run_id, agreement_id)
);

-- The live rows: what every reader sees.
CREATE OR REPLACE VIEW agreements AS
SELECT * EXCLUDE (source_path, source_location, fingerprint, model_version, withdrawn_at)
FROM all_agreements WHERE withdrawn_at IS NULL;
CREATE OR REPLACE VIEW provisions AS
SELECT * FROM all_provisions WHERE agreement_id IN (SELECT agreement_id FROM agreements);
CREATE OR REPLACE VIEW predictions AS
SELECT * FROM all_predictions WHERE agreement_id IN (SELECT agreement_id FROM agreements);
CREATE OR REPLACE VIEW paragraphs AS
SELECT * FROM all_paragraphs WHERE agreement_id IN (SELECT agreement_id FROM agreements);

-- Dated evidence found in the text (pipeline.nlp.dates), written with each agreement: signature
-- clauses, self-dating citations ("Regulation (EC) No 1105/2001"), other dates not preceded by
-- a deadline word. Dates in schedules, annexes and protocols are left out, except citations.
CREATE TABLE IF NOT EXISTS all_text_dates (
    agreement_id  VARCHAR NOT NULL,
    provision_id  VARCHAR NOT NULL,
    kind          VARCHAR NOT NULL,       -- 'signature clause' | 'citation' | 'text date'
    year          INTEGER NOT NULL,
    phrase        VARCHAR NOT NULL        -- the words around the date, as evidence
);
CREATE OR REPLACE VIEW text_dates AS
SELECT * FROM all_text_dates WHERE agreement_id IN (SELECT agreement_id FROM agreements);

-- Footnotes of provisions read from PDFs (the reader keeps them apart from the text), and
-- footnote references printed on headings ("Article 12.2: Scope3") in any format. Cite a
-- clause as "Art. 12.15(2), fn. 12" with the view footnote_citations below.
CREATE TABLE IF NOT EXISTS all_footnotes (
    provision_id  VARCHAR NOT NULL,
    agreement_id  VARCHAR NOT NULL,
    marker        VARCHAR NOT NULL,       -- as printed: '12', '*'
    text          VARCHAR,                -- the note; null when only its reference was found (HTML, text)
    page          INTEGER,                -- page the note is printed on (PDFs)
    placement     VARCHAR NOT NULL,       -- 'text': the reference is at char_offset in the provision's text;
                                          -- 'heading': on the article heading; 'page': printed on a page of
                                          -- the provision, the reference itself not found
    char_offset   INTEGER                 -- offset into provisions.text (placement 'text')
);
CREATE OR REPLACE VIEW footnotes AS
SELECT * FROM all_footnotes WHERE agreement_id IN (SELECT agreement_id FROM agreements);

-- Derived tables, rebuilt from the tables above at the end of every refresh
-- (pipeline.analytics.derive): they need the text of every article (dates in signature
-- clauses) and a grouping across agreements, too slow to recompute on every query.

-- The year of the text actually held, which can differ from the date of signature in the
-- metadata (consolidated or later texts filed under the original agreement).
CREATE TABLE IF NOT EXISTS agreement_vintage (
    agreement_id      VARCHAR PRIMARY KEY,
    vintage_year      INTEGER,              -- null only when neither text nor metadata has a date
    vintage_basis     VARCHAR,              -- 'signature clause' | 'cited instruments' | 'text dates' | 'metadata'
    vintage_evidence  VARCHAR               -- human-readable: the dates and citations that decided it
);

-- Language versions and copies of one agreement form one treaty.
CREATE TABLE IF NOT EXISTS treaty_versions (
    agreement_id   VARCHAR PRIMARY KEY,
    treaty_id      VARCHAR NOT NULL,
    authoritative  BOOLEAN NOT NULL         -- the version counted and shown (English where present)
);

-- What the three tables above were last derived with (one row, written with them): a refresh
-- updates them for the agreements it touched only while the code and the newest signature year
-- (the bound on plausible text dates) are still these; else it rebuilds them whole.
CREATE TABLE IF NOT EXISTS derivation_state (
    code_version           VARCHAR NOT NULL,   -- runs.code_version of the run that derived them
    latest_plausible_year  INTEGER NOT NULL
);

CREATE TABLE IF NOT EXISTS treaties (
    treaty_id                   VARCHAR PRIMARY KEY,   -- readable and stable: 'trans-pacific-partnership-2016'
    name                        VARCHAR NOT NULL,
    date_signed                 DATE,
    year_signed                 INTEGER,
    vintage_year                INTEGER,
    date_in_force               DATE,
    parties                     VARCHAR[],
    composition                 VARCHAR,
    region                      VARCHAR,
    type                        VARCHAR,
    language_versions           VARCHAR[],             -- agreement ids of every version
    authoritative_agreement_id  VARCHAR NOT NULL
);

-- One row per provision with at least one label: the table analysts and scripts use.
-- provision_id joins back to provisions and predictions; treaty_id and vintage_year come from
-- the derived tables (null until a refresh has built them).
CREATE OR REPLACE VIEW clauses AS
SELECT
    p.provision_id,
    a.agreement_id,
    tv.treaty_id,
    a.source,
    a.source_id,
    p.source_provision_id,
    a.name AS agreement_name,
    a.date_signed,
    year(a.date_signed) AS year,
    coalesce(t.vintage_year, av.vintage_year) AS vintage_year,
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
LEFT JOIN treaty_versions AS tv ON tv.agreement_id = a.agreement_id
LEFT JOIN treaties AS t ON t.treaty_id = tv.treaty_id
LEFT JOIN agreement_vintage AS av ON av.agreement_id = a.agreement_id
WHERE len(pr.labels) > 0;


-- One row per footnote with its pinpoint citation: "Art. 12.15(2), fn. 12". The paragraph comes
-- from the paragraphs table (labelled provisions); elsewhere the citation is "Art. 12.15, fn. 12".
CREATE OR REPLACE VIEW footnote_citations AS
SELECT
    f.agreement_id,
    f.provision_id,
    p.article_no,
    pa.paragraph_no,
    f.marker,
    f.text,
    f.page,
    f.placement,
    concat_ws(', ',
              CASE WHEN p.article_no IS NOT NULL
                   THEN 'Art. ' || p.article_no || coalesce('(' || pa.paragraph_no || ')', '') END,
              'fn. ' || f.marker) AS citation
FROM footnotes AS f
JOIN provisions AS p ON p.provision_id = f.provision_id
LEFT JOIN paragraphs AS pa
       ON pa.provision_id = f.provision_id AND pa.paragraph_no IS NOT NULL
      AND f.char_offset > pa.char_start AND f.char_offset <= pa.char_end;
