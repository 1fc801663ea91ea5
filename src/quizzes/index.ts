/* The quizzes feature's public module. Quizzes owns quizzes, quiz_recipients, quiz_attempts and quiz_draws. */
export { registerQuizzes } from './quizzes-feature.ts';
export { type Bank, loadBanks } from './bank-schema.ts';
export { publishQuiz } from './publish.ts';
export { latestQuizId } from './quiz-repository.ts';
export { quizExport } from './quiz-workbook.ts';
