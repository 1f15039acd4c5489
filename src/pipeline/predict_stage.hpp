#pragma once
/// `tilmatch predict` composed: TCRdist between query and labelled reference TCRs on a backend
/// (scoring/), aggregated per epitope by a kernel (predict/kernel.hpp).

#include <cstdint>
#include <string>
#include <vector>

#include "io/labelled_tcrs.hpp"
#include "predict/kernel.hpp"
#include "scoring/backend.hpp"

namespace tilmatch::pipeline {

/// The labelled references of one epitope, as positions in the reference vector (input order).
struct EpitopeClasses {
  std::string epitope;
  std::vector<std::uint32_t> positives;
  std::vector<std::uint32_t> negatives;
};

/// Groups references by epitope, epitopes in byte order. Throws InputError naming the first file
/// of an epitope that has no positive reference.
std::vector<EpitopeClasses> group_by_epitope(const std::vector<io::LabelledTcr>& references);

/// One query's score for one epitope.
struct Prediction {
  std::uint32_t query = 0;    ///< position among the queries (leave-one-out: among the references)
  std::uint32_t epitope = 0;  ///< position in the EpitopeClasses vector
  double score = 0;
  /// The nearest positive (ties: the first in reference order); kNoReference when there is none.
  std::uint32_t nearest_positive = 0;
  std::int32_t nearest_positive_distance = 0;
};
inline constexpr std::uint32_t kNoReference = UINT32_MAX;

struct PredictOptions {
  predict::KernelParams kernel;
  scoring::Chains chains = scoring::Chains::alpha_beta;
  /// Tiles, threads and the memory budget of the distance search (the budget also bounds the
  /// distances held at once: one query block x every reference).
  scoring::EngineOptions engine;
};

/// Every query x every epitope, ordered by query, then epitope. `queries` and `references` are
/// encoded alike (scoring::encode_tcrdist_set with options.chains and the same V-gene table).
std::vector<Prediction> predict_queries(const std::vector<scoring::TcrRecord>& queries,
                                        const scoring::TcrdistSet& references,
                                        const std::vector<EpitopeClasses>& epitopes, const PredictOptions& options,
                                        const scoring::Backend& backend, const scoring::VGeneTable* vgenes);

/// Leave-one-out: each reference scored for its own epitope against that epitope's other
/// references (never against itself; an identical TCR on another row still counts). Ordered by
/// reference. `records[i]` is the scorer record of reference i.
std::vector<Prediction> predict_leave_one_out(const std::vector<scoring::TcrRecord>& records,
                                              const std::vector<EpitopeClasses>& epitopes,
                                              const PredictOptions& options, const scoring::Backend& backend,
                                              const scoring::VGeneTable* vgenes);

}  // namespace tilmatch::pipeline
