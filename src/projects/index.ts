/* The projects' public module. Projects owns the projects table. */
export * from './project-lookups';
export { importProjects } from './project-import';
