// checkin: the command-line front of the check-in system. Parses options,
// builds the real adapters and calls library code; no logic a test would want.
#include <CLI/CLI.hpp>
#include <iostream>
#include <sstream>

#include "cli/support.h"

int main(int argc, char** argv) {
  CLI::App app{"checkin: venue check-in, badges and attendance for community events"};
  app.require_subcommand(1);
  app.fallthrough();  // global options may come after the subcommand too
  app.set_version_flag("--version", "checkin 0.1.0");
  checkin::cli::GlobalOptions g;
  checkin::cli::AddGlobalOptions(app, g);
  int exit_code = checkin::cli::kExitOk;
  checkin::cli::RegisterInit(app, g, exit_code);
  checkin::cli::RegisterRoster(app, g, exit_code);
  checkin::cli::RegisterRedeem(app, g, exit_code);
  checkin::cli::RegisterUndo(app, g, exit_code);
  checkin::cli::RegisterStats(app, g, exit_code);
  checkin::cli::RegisterReport(app, g, exit_code);
  checkin::cli::RegisterBadge(app, g, exit_code);
  checkin::cli::RegisterCertificates(app, g, exit_code);
  checkin::cli::RegisterPrint(app, g, exit_code);
  checkin::cli::RegisterScan(app, g, exit_code);
  checkin::cli::RegisterDecode(app, g, exit_code);
  checkin::cli::RegisterHub(app, g, exit_code);
  checkin::cli::RegisterStation(app, g, exit_code);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    // CLI11 quotes the offending argument: it may hold anything.
    std::ostringstream out, err;
    const int rc = app.exit(e, out, err);
    std::cout << checkin::cli::SafeLines(out.str()) << std::flush;
    std::cerr << checkin::cli::SafeLines(err.str()) << std::flush;
    return rc == 0 ? 0 : checkin::cli::kExitError;
  }
  return exit_code;
}
