import type { auth as zh } from '../zh-CN/auth.js';

export const auth: Record<keyof typeof zh, string> = {
  'signIn.title': 'Staff sign-in',
  'signIn.username': 'User name',
  'signIn.password': 'Password',
  'signIn.submit': 'Sign in',
  'signIn.demoHint': 'The demo accounts are printed when the server starts, and listed in the README.',
  'signOut.done': 'You have signed out.',
  'workbench.title': 'Workbench',
  'workbench.welcome': 'Hello, {name}',
  'workbench.posts': 'Your posts',
  'role.citizen': 'Citizen',
  'role.grid_worker': 'Grid worker',
  'role.town_dispatcher': 'Town dispatcher',
  'role.board_handler': 'Board handler',
  'role.department_handler': 'Department handler',
  'role.district_supervisor': 'District supervisor',
  'role.leader': 'Leader',
  'role.editor': 'Editor',
  'role.admin': 'Administrator',
};
