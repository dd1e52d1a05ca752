# The two commands: `make run` (the main job) and `make test` (the whole suite). Both set up what
# they need first (tools/setup.sh: Debian packages, npm tools, NuGet restore; idempotent).
SHELL := /bin/bash
CONFIG ?= Release
HMREC := dotnet Cli/bin/$(CONFIG)/net10.0/hmrec.dll
export DOTNET_CLI_TELEMETRY_OPTOUT := 1
export DOTNET_NOLOGO := 1

.PHONY: setup build test run screenshots install bench clean publish-gpu publish-worker

setup:
	@bash tools/setup.sh

build: setup
	dotnet build HmRec.Functions.sln -c $(CONFIG) --no-restore --nologo -v quiet -clp:ErrorsOnly

# Runs every test project and ends with one summary line for all of them.
test: build
	@set -o pipefail; dotnet test HmRec.Functions.sln -c $(CONFIG) --no-build --nologo 2>&1 | tee .test-output.log; status=$$?; \
	  awk '/^(Passed|Failed|Skipped)!/ { for (i = 1; i <= NF; i++) { if ($$i == "Failed:") f += $$(i+1); if ($$i == "Passed:") p += $$(i+1); if ($$i == "Skipped:") s += $$(i+1) } } \
	       END { printf "tests: %d passed, %d failed, %d skipped\n", p, f, s }' .test-output.log; rm -f .test-output.log; exit $$status

# The main job: a whole pipeline on a generated dataset on the embedded default (.hmrec/); then screenshots of its
# report and of the monitor showing it, into the run's folder (a failure there does not fail the run).
run: build
	$(HMREC) run $(ARGS)
	@store=$$(echo " $(ARGS) " | sed -n 's/.* --store[ =]\([^ ]*\).*/\1/p'); \
	  bash bench/screenshots.sh "$${store:-.hmrec}" || echo "make run: the screenshots were not taken (above); the run itself completed."

# The README's pictures (bench/screenshots/, tracked), refreshed on purpose from the last run in .hmrec/ (or STORE=...).
screenshots: build
	bash bench/screenshots.sh "$${STORE:-.hmrec}" bench/screenshots

# Installs hmrec and hmrec-train-gpu for this user: the published app (with the worker beside it) and its tools
# (Azurite, Chart.js) in $(PREFIX)/lib/hmrec, and two launchers in $(PREFIX)/bin (default ~/.local/bin, on the PATH
# of most shells). Run again to update.
PREFIX ?= $(HOME)/.local
install: setup
	rm -rf "$(PREFIX)/lib/hmrec.new"
	dotnet publish Cli -c Release -o "$(PREFIX)/lib/hmrec.new" --nologo -v quiet
	mkdir -p "$(PREFIX)/lib/hmrec.new/tools"
	cp tools/package.json tools/package-lock.json "$(PREFIX)/lib/hmrec.new/tools/"
	cp -r tools/node_modules "$(PREFIX)/lib/hmrec.new/tools/"
	rm -rf "$(PREFIX)/lib/hmrec" && mv "$(PREFIX)/lib/hmrec.new" "$(PREFIX)/lib/hmrec"
	mkdir -p "$(PREFIX)/bin"
	for tool in hmrec hmrec-train-gpu; do \
	  printf '#!/bin/sh\nexec dotnet "%s/lib/hmrec/%s.dll" "$$@"\n' "$(PREFIX)" "$$tool" > "$(PREFIX)/bin/$$tool"; \
	  chmod +x "$(PREFIX)/bin/$$tool"; \
	done
	@echo "Installed hmrec and hmrec-train-gpu in $(PREFIX)/bin."
	@case ":$$PATH:" in *":$(PREFIX)/bin:"*) ;; *) echo "Add it to your PATH: export PATH=\"$(PREFIX)/bin:\$$PATH\"";; esac

bench: build
	bash bench/run.sh
	bash bench/durable.sh
	bash bench/restart.sh
	bash bench/pipeline.sh
	bash bench/quality.sh
	bash bench/peer.sh 1M realistic-5M
	bash bench/two_tower.sh
	bash bench/http.sh

# OpenBLAS and its Fortran runtime, from Debian, which a GPU machine may lack.
GPU_NATIVE_LIBS := /usr/lib/x86_64-linux-gnu/libopenblas.so.0 /lib/x86_64-linux-gnu/libgfortran.so.5 /lib/x86_64-linux-gnu/libquadmath.so.0

# The two-tower worker for a GPU machine: a self-contained, trimmed build with the native libraries it
# loads (DuckDB from its NuGet package; OpenBLAS and its Fortran runtime copied from Debian), packed as
# out/gpu.tar.xz (xz: 33 MB against gzip's 52, so that a run's features fit beside it in a 64 MiB transfer). There:
#   bash bench/gpu.sh (check-devices, CUDA vs PyTorch throughput, a full training run; see bench/README.md)
# Beside it, out/gpu-tests.tar.xz: the test suite's GPU tests as a self-contained test program (xUnit v3), which
# bench/gpu.sh runs first; carried alone it runs only them.
publish-gpu: setup
	rm -rf out/gpu
	dotnet publish Training.Gpu -c Release -r linux-x64 --self-contained -p:PublishTrimmed=true -p:EnableTrimAnalyzer=false -o out/gpu --nologo -v quiet
	cp -L $(GPU_NATIVE_LIBS) out/gpu/
	rm -f out/gpu.tar.xz
	tar -cf - -C out gpu | xz -T0 -6 > out/gpu.tar.xz
	rm -rf out/gpu-tests
	dotnet publish tests/HmRec.Training.Gpu.DeviceTests -c Release -r linux-x64 --self-contained -p:PublishTrimmed=true -p:TrimMode=partial \
	  -p:SuppressTrimAnalysisWarnings=true -p:EnableTrimAnalyzer=false -o out/gpu-tests --nologo -v quiet
	rm -f out/gpu-tests/libduckdb.so out/gpu-tests/lib_lightgbm.so
	cp -L $(GPU_NATIVE_LIBS) out/gpu-tests/
	rm -f out/gpu-tests.tar.xz
	tar -cf - -C out gpu-tests | xz -T0 -6 > out/gpu-tests.tar.xz

# The standalone `hmrec worker` for docker/worker.Dockerfile: framework-dependent, linux-x64 (out/worker/; libduckdb and
# lib_lightgbm come from their NuGet packages).
publish-worker: setup
	rm -rf out/worker
	dotnet publish Cli -c Release -r linux-x64 --self-contained false -o out/worker --nologo -v quiet

clean:
	dotnet clean HmRec.Functions.sln --nologo -v quiet
	rm -rf .hmrec bench/work
