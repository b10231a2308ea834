package sqlstore

import "testing"

// testStore is the conformance suite every dialect runs. newURL gives the
// URL of a fresh, empty database each time it is called.
func testStore(t *testing.T, newURL func(t *testing.T) string) {
	tests := []struct {
		name string
		run  func(t *testing.T, url string)
	}{
		{"MigrateTwice", testMigrateTwice},
		{"ExtraMigrations", testExtraMigrations},
		{"ImportRoundTrip", testImportRoundTrip},
		{"ImportUpsert", testImportUpsert},
		{"ImportBatches", testImportBatches},
		{"ImportBadLine", testImportBadLine},
		{"ImportBOM", testImportBOM},
		{"ImportDemo", testImportDemo},
		{"ImportAnalyzes", testImportAnalyzes},
		{"NotFound", testNotFound},
		{"SaveKey", testSaveKey},
		{"SaveKeyClears", testSaveKeyClears},
		{"ConcurrentCreations", testConcurrentCreations},
		{"AppendAudit", testAppendAudit},
		{"RecordFailure", testRecordFailure},
		{"EscalatingLocks", testEscalatingLocks},
		{"ConcurrentFailures", testConcurrentFailures},
		{"ClearFailures", testClearFailures},
		{"LockoutSurvivesReopen", testLockoutSurvivesReopen},
		{"Attempts", testAttempts},
		{"InProgressNeitherLocksNorShows", testInProgressNeitherLocksNorShows},
		{"AbandonedAttempts", testAbandonedAttempts},
		{"GiveBackAttempt", testGiveBackAttempt},
		{"ConcurrentAttempts", testConcurrentAttempts},
		{"KnownSources", testKnownSources},
		{"Donors", testDonors},
		{"DonorsSameDay", testDonorsSameDay},
		{"QuestionSets", testQuestionSets},
		{"QuestionSetOrDonors", testQuestionSetOrDonors},
		{"ServiceQuestions", testServiceQuestions},
		{"QuestionsPinned", testQuestionsPinned},
		{"ImportContacts", testImportContacts},
		{"SaveContact", testSaveContact},
		{"CodeSends", testCodeSends},
		{"Codes", testCodes},
		{"ConcurrentCodeGuesses", testConcurrentCodeGuesses},
		{"Lookup", testLookup},
		{"ServiceSecret", testServiceSecret},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			tt.run(t, newURL(t))
		})
	}
}
