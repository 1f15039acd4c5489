#pragma once
/// What an output set folder holds and how one that is no longer wanted is taken apart without
/// losing anything that is not tilmatch's.

#include <filesystem>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace tilmatch::detail {

/// First line of an output set's manifest (tilmatch::kOutputSetManifest); one file name per line follows.
inline constexpr std::string_view kSetManifestHeader =
    "# tilmatch output set: these files were written together by one run";

/// The names `folder`'s manifest lists; nullopt when it has none or the file is not one. An empty
/// manifest (a run killed before its first line) lists nothing.
std::optional<std::vector<std::string>> read_set_manifest(const std::filesystem::path& folder);

/// A plain file name a set may hold: not empty, no '/', NUL or newline, not "." or "..", not the manifest.
bool valid_set_name(const std::string& name);

/// True when `folder`/run.json says tilmatch wrote it: an output folder from before manifests.
bool holds_tilmatch_run_json(const std::filesystem::path& folder);

/// Takes apart `folder`, the previous contents of `target` after a swap or what a killed run left
/// beside it. The files its manifest lists, the manifest and the names in `also_remove` are
/// removed. Every other entry is someone's own: removed when `target` holds the same file under
/// the same name (a hard link made for the swap), moved into `target` when `target` has no such
/// name, and otherwise kept, with the folder, and a warning naming it (`what` says whose folder it
/// is). Nothing that is not tilmatch's is deleted. True when the folder is gone.
bool retire_folder(const std::filesystem::path& folder, const std::filesystem::path& target,
                   const std::set<std::string>& also_remove, const std::string& what);

}  // namespace tilmatch::detail
