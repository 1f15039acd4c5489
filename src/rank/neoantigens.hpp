#pragma once
/// Candidates (one per variant, alt allele and transcript) merged into neoantigens (one per
/// variant and alt allele), with their weights. Pure functions.

#include <string>
#include <utility>
#include <vector>

#include "rank/model.hpp"
#include "rank/params.hpp"
#include "tilmatch/variant.hpp"

namespace tilmatch::rank {

/// One candidate with the peptides built from it.
struct CandidatePeptides {
  VariantTranscript variant;
  std::vector<std::pair<std::string, std::string>> epitopes;  ///< (MT, WT); WT empty when unpaired
  std::vector<std::string> minigenes;
};

/// Protein change of a candidate: "P58A", "VE600-601EK", "K10del", "10-11insL", "W181fs".
std::string protein_change(const VariantTranscript& v);

/// Merges candidates of the same (chromosome, POS, REF, ALT), in file order of first appearance.
/// Ids are "<gene>.<change>" of the first candidate, with ".2", ".3", ... added to repeats.
/// Weights follow rank/params.hpp: tumour DNA VAF and RNA of the first candidate (they are
/// per variant), expression the highest over its transcripts (transcript TPM, else gene TPM).
std::vector<Neoantigen> group_neoantigens(const std::vector<CandidatePeptides>& candidates,
                                          const ModelParams& params);

}  // namespace tilmatch::rank
