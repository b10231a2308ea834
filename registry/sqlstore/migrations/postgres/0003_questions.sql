-- Identity questions (registry/distractors.go). Donors, the people whose
-- data make the wrong options, are looked up by sex and birth date.
CREATE INDEX citizens_donors ON citizens (sex, birth_date, cuil);

-- Each CUIL's questions, drawn once and shown at every attempt, kept as
-- long as the citizen's record (registry.QuestionSet, as JSON). version
-- lets two processes drawing at once keep one set.
CREATE TABLE question_sets (
    cuil       TEXT PRIMARY KEY REFERENCES citizens (cuil) ON DELETE CASCADE,
    version    INTEGER NOT NULL,
    questions  TEXT NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL
);
