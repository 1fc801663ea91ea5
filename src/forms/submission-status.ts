/** A submission's status as people read it, in 待办, progress and the 填报 list. */
export const submissionStatusLabels: Record<string, string> = {
  not_started: '未开始',
  draft: '草稿',
  submitted: '已提交',
  in_approval: '审批中',
  returned: '已退回待修改',
  approved: '已通过',
  rejected: '已驳回',
};
