// bootstrap/layout.h — what the data directory and the places around it hold, decided before
// anything is written: PGDATA's state (empty, initialized by aza-pg, a first start of aza-pg's
// that did not finish, or a cluster from elsewhere), and clusters or mounts the operator put
// where an earlier image looked for them (the official image kept PGDATA at
// /var/lib/postgresql/data before PostgreSQL 18, at /var/lib/postgresql/<major>/docker since).
// Reads through probe::Root so fixture trees can stand in for the container. Thread-compatible.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "probe/root.h"

namespace aza::bootstrap {

// The major version this image runs.
inline constexpr char kServerMajor[] = "18";
// The image's volume, and the pre-18 official image's PGDATA inside it.
inline constexpr char kVolumeRoot[] = "/var/lib/postgresql";
inline constexpr char kLegacyPgdata[] = "/var/lib/postgresql/data";
// Set to true to initialize an empty PGDATA although other data was found.
inline constexpr char kIgnoreOldDataVar[] = "POSTGRES_IGNORE_OLD_DATA";

// Written (fsynced) once the first start completed: initdb, every init script, a clean stop.
inline constexpr char kMarkerFile[] = "aza-pg.initialized";
// Written right after initdb; says which step of the first start failed, if one did.
inline constexpr char kInitializingFile[] = "aza-pg.initializing";

enum class DataState {
  kEmpty,            // no PG_VERSION: initialize (or clone) it
  kInitialized,      // PG_VERSION and the marker
  kHalfInitialized,  // PG_VERSION and kInitializingFile: aza-pg's first start did not finish
  kForeign,          // PG_VERSION alone: made by another image or tool, or interrupted
};

// Looks at PGDATA (an absolute in-container path) below `root`.
DataState InspectDataDirectory(const probe::Root& root, std::string_view pgdata);

// The major version recorded in DIR/PG_VERSION; nullopt when there is none.
std::optional<std::string> ClusterMajor(const probe::Root& root, std::string_view dir);

// Why an empty PGDATA must not be initialized here: one line per cluster or unused mount
// found in the usual places (the volume's root, /var/lib/postgresql/data, another major's
// /var/lib/postgresql/<major>/docker), each with its next step, then the escape. Empty when
// nothing was found.
std::vector<std::string> FindStrandedData(const probe::Root& root, std::string_view pgdata);

// Why a PGDATA that holds a cluster cannot be started as it is: its major is not this
// image's, or aza-pg did not (completely) initialize it. One line per fact and the next
// step (quoting kInitializingFile, which names the step that failed); empty when the
// cluster can start.
std::vector<std::string> RefuseExisting(const probe::Root& root, std::string_view pgdata,
                                        DataState state);

// Removes everything inside `dir` (a clone or restore that failed), keeping `dir` itself.
void EmptyDirectory(const std::string& dir);

}  // namespace aza::bootstrap
