#pragma once
/// Row formats of the `tilmatch run` outputs (docs/formats.md): clonotypes, affinity, fragment
/// ranking and screening design. Each writer streams into an AtomicFile.

#include <string>
#include <vector>

#include "rank/model.hpp"
#include "rank/screen_result.hpp"
#include "tilmatch/atomic_file.hpp"
#include "tilmatch/clonotypes.hpp"

namespace tilmatch::pipeline {

/// A count (reads, cells, templates): whole values as integers ("20000", never "20000.0"), a fractional
/// one (a normalised count) with its shortest round-trip digits, NaN as `NA`.
std::string format_count(double v);

/// `v` with 6 significant digits ("0.0123457", "1", "2.5e-05"): stable and readable.
std::string format_score(double v);

/// Renames, in place, every manifest metadata column of `table` named like a column of
/// fragments.tsv ("score" -> "meta_score"; prefixed again while the name is taken), so that header
/// names each column once. Returns one note per renamed column, for run.json and the report.
std::vector<std::string> rename_clashing_metadata(ClonotypeTable& table);

void write_clonotypes(AtomicFile& out, const ClonotypeTable& table, const rank::RunResult& result);
void write_affinity(AtomicFile& out, const ClonotypeTable& table, const rank::RunResult& result);
/// The ranking; with the screen's results (`screen` non-null) in the screen's tier order, with its columns
/// first and the public-evidence ranking after them.
void write_fragments(AtomicFile& out, const ClonotypeTable& table, const rank::RunResult& result,
                     const rank::ScreenOutcome* screen = nullptr);
void write_design_tsv(AtomicFile& out, const rank::RunResult& result);
void write_design_tsv(AtomicFile& out, const std::vector<rank::DesignSlot>& design,
                      const std::vector<rank::Neoantigen>& neoantigens);
/// One record per tandem-minigene construct (its 25-mers concatenated) and one per pool peptide.
void write_design_fasta(AtomicFile& out, const rank::RunResult& result);

}  // namespace tilmatch::pipeline
