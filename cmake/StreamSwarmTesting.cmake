# SPDX-License-Identifier: GPL-3.0-or-later
# SPDX-FileCopyrightText: 2026 The StreamSwarm authors

# A test's own code is the driver, not what it measures (that is in the product libraries, built as
# usual): light optimisation and line tables only. (Precompiled Qt headers were tried, and made the
# build slower: the 220 MB header cost more to load per unit than parsing saved.)
set(STREAMSWARM_TEST_COMPILE_OPTIONS $<$<CONFIG:RelWithDebInfo>:-Og -g1>)

set(STREAMSWARM_TEST_ENVIRONMENT "QT_QPA_PLATFORM=offscreen;LC_ALL=C.UTF-8;STREAMSWARM_BINARY_DIR=${PROJECT_BINARY_DIR};STREAMSWARM_SOURCE_DIR=${PROJECT_SOURCE_DIR};STREAMSWARM_CONFIG_DIR=${PROJECT_BINARY_DIR}/no-system-settings")

# A private PostgreSQL server on loopback for the tests marked POSTGRES: ctest starts it before the
# first of them (fixture "postgres") and stops it after the last. Its URL, with a password made for
# this run, is in STREAMSWARM_TEST_POSTGRES_URL's file.
set(STREAMSWARM_TEST_POSTGRES_STATE ${PROJECT_BINARY_DIR}/test-postgres)
set(STREAMSWARM_TEST_POSTGRES_URL ${STREAMSWARM_TEST_POSTGRES_STATE}/url)
add_test(NAME postgres_start COMMAND ${PROJECT_SOURCE_DIR}/tests/support/postgres-server start ${STREAMSWARM_TEST_POSTGRES_STATE})
add_test(NAME postgres_stop COMMAND ${PROJECT_SOURCE_DIR}/tests/support/postgres-server stop ${STREAMSWARM_TEST_POSTGRES_STATE})
set_tests_properties(postgres_start PROPERTIES FIXTURES_SETUP postgres LABELS postgres TIMEOUT 120)
set_tests_properties(postgres_stop PROPERTIES FIXTURES_CLEANUP postgres LABELS postgres TIMEOUT 60)

# streamswarm_add_test(<tst_name> LIBS <libs...> LABELS <labels...> [TIMEOUT s] [SOURCES extra...]
#                      [FUNCTIONS f1 f2...] [POSTGRES])
# One executable per tst_*.cpp; every test runs headless, in the C locale, with a timeout and labels.
# With FUNCTIONS, each listed test function is its own ctest entry (so long ones run side by side).
# With POSTGRES, each entry runs a second time as <entry>_postgres against the test PostgreSQL server.
function(streamswarm_add_test name)
    cmake_parse_arguments(ARG "POSTGRES" "TIMEOUT" "LIBS;LABELS;SOURCES;FUNCTIONS" ${ARGN})
    if(NOT ARG_TIMEOUT)
        set(ARG_TIMEOUT 120)
    endif()
    add_executable(${name} ${name}.cpp ${ARG_SOURCES})
    target_link_libraries(${name} PRIVATE ${ARG_LIBS} Qt6::Test streamswarm_compile_options)
    target_compile_options(${name} PRIVATE ${STREAMSWARM_TEST_COMPILE_OPTIONS})
    set(entries ${name})
    set(arguments_for_${name} "")
    if(ARG_FUNCTIONS)
        set(entries "")
        foreach(function ${ARG_FUNCTIONS})
            list(APPEND entries ${name}_${function})
            set(arguments_for_${name}_${function} ${function})
        endforeach()
    endif()
    foreach(entry ${entries})
        add_test(NAME ${entry} COMMAND ${name} ${arguments_for_${entry}})
        set_tests_properties(${entry} PROPERTIES
            TIMEOUT ${ARG_TIMEOUT}
            LABELS "${ARG_LABELS}"
            ENVIRONMENT "${STREAMSWARM_TEST_ENVIRONMENT}")
        if(ARG_POSTGRES)
            add_test(NAME ${entry}_postgres COMMAND ${name} ${arguments_for_${entry}})
            set_tests_properties(${entry}_postgres PROPERTIES
                TIMEOUT ${ARG_TIMEOUT}
                LABELS "${ARG_LABELS};postgres"
                FIXTURES_REQUIRED postgres
                ENVIRONMENT "${STREAMSWARM_TEST_ENVIRONMENT};STREAMSWARM_TEST_POSTGRES=${STREAMSWARM_TEST_POSTGRES_URL}")
        endif()
    endforeach()
endfunction()
