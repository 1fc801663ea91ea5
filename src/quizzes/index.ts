/* The quizzes feature's public module. Quizzes owns quizzes, quiz_recipients, quiz_attempts and quiz_draws. */
export { registerQuizzes } from './quizzes-feature';
export { type Bank, loadBanks } from './bank-schema';
export { publishQuiz } from './publish';
export { latestQuizId } from './quiz-repository';
export { quizExport } from './quiz-workbook';
