#include "pipeline/candidate_builder.hpp"

#include <algorithm>

namespace tilmatch::pipeline {

PeptidePlan make_plan(const PeptidesConfig& c) {
  PeptidePlan p;
  p.flank = c.flank ? *c.flank : *std::max_element(c.class1_lengths.begin(), c.class1_lengths.end()) - 1;
  p.main_windows.flank = p.flank;
  // pVACseq's combined <sample>.fasta (generate_protein_fasta) applies no minimum length.
  p.main_windows.min_length = 1;
  p.main_windows.downstream_limit = c.downstream_limit;
  p.downstream_limit = c.downstream_limit;
  for (int l : c.class1_lengths) p.lengths.push_back({l, "I"});
  for (int l : c.class2_lengths) p.lengths.push_back({l, "II"});
  std::stable_sort(p.lengths.begin(), p.lengths.end(),
                   [](const LengthPlan& a, const LengthPlan& b) { return a.length < b.length; });
  p.minigenes.length = c.minigene_length;
  return p;
}

CandidateBuild build_candidate(const VariantTranscript& v, const PeptidePlan& plan) {
  CandidateBuild b;
  b.window = peptides::make_windows(v, plan.main_windows);
  for (const LengthPlan& l : plan.lengths) {
    peptides::WindowOptions wo;
    wo.flank = l.length - 1;
    wo.min_length = l.length;
    wo.downstream_limit = plan.downstream_limit;
    const peptides::WindowResult w = peptides::make_windows(v, wo);
    if (!w.pair) continue;
    for (peptides::EpitopePair& e : peptides::make_epitopes(v, *w.pair, l.length))
      b.epitopes.push_back({l.mhc_class, std::move(e)});
  }
  b.minigenes = peptides::make_minigenes(v, plan.minigenes);
  return b;
}

}  // namespace tilmatch::pipeline
