/**
 * Cost and budgets: a {@link dev.kaizen.llm.budget.PriceTable} prices tokens per model, a
 * {@link dev.kaizen.llm.budget.Budget} holds hard caps on dollars and tokens that count calls in
 * flight, and {@link dev.kaizen.llm.budget.BudgetedClient} reserves before each call and settles
 * after it.
 */
package dev.kaizen.llm.budget;
