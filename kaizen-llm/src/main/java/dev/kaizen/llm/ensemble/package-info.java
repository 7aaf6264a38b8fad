/**
 * Ensembles of models: {@link dev.kaizen.llm.ensemble.ModelBandit} chooses which configured model
 * proposes the next edit, by fixed weights or by learning which model improves the program most per
 * unit of cost.
 */
package dev.kaizen.llm.ensemble;
