/* The projects' public module. Projects owns the projects table. */
export * from './project-lookups';
export { type Classify, type ImportedProject, importProjects } from './project-import';
