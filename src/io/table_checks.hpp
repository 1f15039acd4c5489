#pragma once
/// Helpers shared by the readers of user-written tables (manifests, screen readouts and designs):
/// a comma-separated file given where tabs are expected, files listed by relative path, and
/// required fields.

#include <string>
#include <string_view>

#include "io/table_reader.hpp"

namespace tilmatch::io {

/// Throws InputError with a hint when the header is one field holding the other separator: commas
/// in a file read tab-separated (a CSV under a .tsv/.txt name), or tabs in a .csv-named file.
void reject_wrong_separator(const TableReader& t);

/// Resolves `listed`, a file named in `manifest` at `where` (e.g. "line 4, column 'path'"): an
/// absolute path is taken as given; a relative one is relative to the manifest's folder and must
/// stay inside it. `what` names the file in messages ("repertoire file of fragment 'T01'").
/// Returns the normalised path; throws InputError when it climbs out of the folder, is empty or
/// is not a regular file.
std::string resolve_listed_file(const std::string& manifest, const std::string& where, std::string_view listed,
                                const std::string& what);

/// `s` without leading and trailing spaces and tabs (spreadsheet exports pad cells).
std::string_view trim_blanks(std::string_view s) noexcept;
/// ASCII lower case.
std::string to_lower(std::string_view s);
/// The current row's binding label in `column`, as IMMREP22 and users write it: true for 1 (the
/// TCR binds its epitope), false for 0 or -1 (it does not); InputError (file, line, column) otherwise.
bool parse_label(const TableReader& t, std::size_t column);
/// The current row's field in `column`, trimmed; throws InputError (file, line, column) when empty.
std::string required_field(const TableReader& t, std::size_t column);

}  // namespace tilmatch::io
