-- A password someone else chose (an administrator's reset, a new account's first password, an import) is known to
-- two people; its holder must replace it at the next sign-in before doing anything else (GB/T 22239-2019 8.1.4.1:
-- identification and authentication; the usual 初始口令首次登录强制修改 rule).
alter table users add column password_change_required boolean not null default false;
