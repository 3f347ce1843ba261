# COST of the slowest tests that gtest_discover_tests finds, read by ctest
# after the discovered tests (TEST_INCLUDE_FILES in tests/CMakeLists.txt).
# On a fresh clone ctest has no timing history and would otherwise start
# these whenever their turn comes, possibly last; a name that no longer
# exists is ignored. The scale is that of tests/CMakeLists.txt's COSTs.
set_tests_properties(DecoderTest.GoldenCorpusPassCountsPerCategory PROPERTIES COST 45)
set_tests_properties(ScanCliTest.QueueVideoAdmitsEveryAttendeeOnceAndAnswersRepeatsAndStrangers
  PROPERTIES COST 40)
