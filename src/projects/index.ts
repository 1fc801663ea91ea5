/* The projects' public module. Projects owns the projects table. */
export * from './project-lookups.ts';
export { importProjects } from './project-import.ts';
