#pragma once
/// The constructs a screen can name, checked against the run: the design read back (tandem minigenes,
/// peptide pools, deconvolution pools), every minigene by name and every MT epitope or minigene by
/// sequence (docs/screening.md).

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "screen/model.hpp"

namespace tilmatch::screen {

/// What the run built for one neoantigen.
struct NeoantigenCatalogEntry {
  std::string id;                           ///< e.g. "TP53.R175H"
  std::vector<std::string> minigenes;       ///< 25-mers, run order
  std::vector<std::string> minigene_names;  ///< `MG.<key>.<tile>`, parallel to `minigenes`
  std::vector<std::string> mt_epitopes;     ///< distinct MT epitopes, any order
};

class ConstructCatalog {
 public:
  /// Checks every design construct against the run: each member names a neoantigen of the run, a
  /// tandem-minigene member is one of that neoantigen's minigenes, a pool member one of its MT epitopes
  /// or minigenes. Otherwise throws InputError naming the design file and the member's line (a design
  /// made for other candidates: another VCF, other filters or lengths).
  ConstructCatalog(std::vector<Construct> design, const std::vector<NeoantigenCatalogEntry>& neoantigens);

  /// The construct a readout names: a design construct id, a minigene name, or a peptide that is an MT
  /// epitope or a minigene of the run (bound to every neoantigen that has it). nullptr when none; the
  /// control keywords are not constructs (see is_control).
  const Construct* resolve(std::string_view name) const;

  /// The design constructs, in the order read.
  const std::vector<Construct>& design() const noexcept { return design_; }

 private:
  std::vector<Construct> design_;
  std::map<std::string, std::size_t, std::less<>> design_index_;
  std::map<std::string, Construct, std::less<>> singles_;  ///< by minigene name or sequence
};

/// `negative` or `positive` (any case).
bool is_control(std::string_view construct) noexcept;

}  // namespace tilmatch::screen
