# The terminal firmware. `make run` starts the simulated terminal; `make test` runs every test.
SHELL := /bin/bash
STATE_DIR ?= $(CURDIR)/.state/sim
ARGS ?=
# A simulated terminal on a developer PC does not advertise itself on the office LAN unless asked: make run RUN_DISCOVERY=
RUN_DISCOVERY ?= --discovery:enabled=false
SIM_CARD ?= emv
VERSION := $(shell sed -n 's:.*<Version>\(.*\)</Version>.*:\1:p' Directory.Build.props)
HOST := src/Appliance.Host/Appliance.Host.csproj

.PHONY: deps build run test publish publish-arm64 smoke-arm64 vm-test deb bench screens clean

deps:
	@tools/install-deps.sh

build: deps
	dotnet build Appliance.sln -nologo -v:minimal

# The simulated terminal on the default ports: admin http://127.0.0.1:38090/health, screen at /sim/.
# SIM_CARD: the smart card in the simulated PC/SC reader (emv, social, emv_contact_pse, unknown; empty for none).
run: deps
	dotnet build $(HOST) -nologo -v:minimal
	@if [ -n "$(SIM_CARD)" ]; then tools/sim-cards/sim-card.sh start $(SIM_CARD) $(STATE_DIR); fi; \
	trap 'tools/sim-cards/sim-card.sh stop $(STATE_DIR)' EXIT; \
	dotnet src/Appliance.Host/bin/Debug/net10.0/appliance.dll --board sim --state-dir $(STATE_DIR) --config none $(RUN_DISCOVERY) $(ARGS)

test: build
	@tools/run-tests.sh

publish: deps
	tools/publish.sh out/linux-x64

publish-arm64: deps
	tools/cross/make-sysroot.sh
	tools/cross/publish-arm64.sh $(HOST) out/linux-arm64

smoke-arm64:
	SMOKE_TIMEOUT=$${SMOKE_TIMEOUT:-300} tools/cross/smoke-arm64.sh out/linux-arm64/appliance

# The arm64 build on an emulated arm64 terminal (QEMU virt, Debian kernel): framebuffer, uinput pen,
# USB serial ID-card module. Leaves out/vm-test/screen.png and result.json. See tools/vm/README.md.
vm-test: deps
	tools/vm/vm-test.sh

deb: publish publish-arm64
	tools/deb/build-deb.sh amd64 out/linux-x64 $(VERSION)-1 out/deb
	tools/deb/build-deb.sh arm64 out/linux-arm64 $(VERSION)-1 out/deb

# The benchmarks in tools/bench, briefly: cold start and idle RSS of the published binary beside a minimal Kestrel
# NativeAOT anchor (coldstart.sh), pen → framebuffer latency (ScreenBench, seconds per rate), UOS under
# many connections (UosLoad, connections and requests each), camera JPEG + stream throughput (Appliance.Bench, seconds
# per run). Figures depend on the machine and its load; longer: make bench BENCH_SECONDS=10 UOS_LOAD="100 200".
BENCH_SECONDS ?= 2
UOS_LOAD ?= 20 50
bench: deps publish
	tools/bench/coldstart.sh out/linux-x64/appliance 3
	dotnet run -c Release --project tools/bench/ScreenBench -- $(BENCH_SECONDS)
	dotnet run -c Release --project tools/bench/UosLoad -- $(UOS_LOAD)
	dotnet run -c Release --project tools/bench/Appliance.Bench -- $(BENCH_SECONDS)

# Every window as the person sees it, in docs/screens (normal and large text); see docs/screens/README.md.
screens: deps
	dotnet run --project tools/screens/ScreenGallery -- docs/screens/after
	dotnet run --project tools/screens/ScreenGallery -- docs/screens/after-large --scale 1.5

clean:
	dotnet clean Appliance.sln -nologo -v:quiet
	rm -rf out .state
