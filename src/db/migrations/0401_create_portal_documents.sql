-- Articles and documents with their revisions and history. A document has a working copy (its latest revision,
-- moving through 起草 → 审核 → 发布) and, once published, a live revision that the public sees; editing a
-- published document leaves the live revision online until the new one is published.
create table portal_documents (
  id bigint generated always as identity primary key,
  column_id bigint not null references portal_columns (id),
  kind text not null check (kind in ('article', 'policy', 'interpretation', 'guide')),
  state text not null default 'draft' check (state in ('draft', 'in_review', 'approved', 'scheduled', 'published', 'withdrawn')),
  revision_no integer not null default 1 check (revision_no >= 1),
  live_revision_no integer check (live_revision_no is null or live_revision_no between 1 and revision_no),
  -- The date shown to the public: the first publication (editors may not back-date it).
  published_at timestamptz,
  scheduled_at timestamptz,
  withdraw_at timestamptz,
  pinned_at timestamptz,
  -- Policies: in force, amended or repealed (文件资料 must mark changed documents on the original page).
  policy_status text check (policy_status in ('in_force', 'amended', 'repealed')),
  policy_status_note text,
  superseded_by_id bigint references portal_documents (id),
  -- An interpretation (解读) names the policy it explains.
  interprets_id bigint references portal_documents (id),
  -- The department or town a document belongs to, for its 部门街镇 page.
  unit_id bigint references units (id),
  submitted_by bigint,
  approved_by bigint,
  created_by bigint,
  is_demo boolean not null default false,
  -- Search over the live revision: jieba-segmented text, weighted (title A, body B), and the plain text for snippets.
  search_vector tsvector,
  search_text text,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  check ((kind = 'policy') = (policy_status is not null)),
  check (interprets_id is null or kind = 'interpretation'),
  check (state <> 'scheduled' or scheduled_at is not null)
);
create index portal_documents_live_idx on portal_documents (column_id, published_at desc) where live_revision_no is not null;
create index portal_documents_state_idx on portal_documents (state, updated_at desc);
create index portal_documents_due_idx on portal_documents (scheduled_at) where state = 'scheduled';
create index portal_documents_withdraw_idx on portal_documents (withdraw_at) where withdraw_at is not null and live_revision_no is not null;
create index portal_documents_interprets_idx on portal_documents (interprets_id) where interprets_id is not null;
create index portal_documents_unit_idx on portal_documents (unit_id, published_at desc) where unit_id is not null;
create index portal_documents_search_idx on portal_documents using gin (search_vector);

create table portal_revisions (
  id bigint generated always as identity primary key,
  document_id bigint not null references portal_documents (id),
  number integer not null check (number >= 1),
  title text not null,
  source text,
  author text,
  doc_number text,
  summary text,
  body_html text not null default '',
  attachments jsonb not null default '[]'::jsonb,
  -- What the sanitiser removed when this revision was saved, so the editor can be told.
  removed jsonb not null default '[]'::jsonb,
  note text,
  created_at timestamptz not null,
  created_by bigint,
  unique (document_id, number)
);

create table portal_document_events (
  id bigint generated always as identity primary key,
  document_id bigint not null references portal_documents (id),
  action text not null,
  from_state text,
  to_state text,
  revision_no integer,
  at timestamptz not null,
  actor_user_id bigint,
  actor_label text not null,
  note text,
  details jsonb not null default '{}'::jsonb
);
create index portal_document_events_doc_idx on portal_document_events (document_id, id);

-- Uploaded files (images and attachments), stored on disk under UPLOAD_DIR by their SHA-256.
create table portal_files (
  sha256 text primary key check (sha256 ~ '^[0-9a-f]{64}$'),
  bytes integer not null check (bytes >= 0),
  mime text not null,
  original_name text not null,
  created_at timestamptz not null,
  created_by bigint
);
